package org.k5spark.eval.raft;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The seeded random weights of the golden generator ({@code eval/tools/vbench-golden/gen_raft.py},
 * recipe {@code hash-uniform-v1}), rebuilt bit for bit: committed cases name the recipe instead of carrying
 * 21 MB of random numbers. Every value is a pure function of (seed, crc32("module." + key), index), in float32
 * arithmetic that numpy and Java round identically (one multiply and one add per value).
 */
public final class RaftRandomWeights {
  public static final String RECIPE = "hash-uniform-v1";

  private RaftRandomWeights() {}

  /** Values for every key of {@link RaftLayout#shapes()}, flat row-major. */
  public static Map<String, float[]> build(int seed, double gain) {
    Map<String, long[]> shapes = RaftLayout.shapes();
    Map<String, float[]> out = new LinkedHashMap<>();
    for (var e : shapes.entrySet()) {
      String k = e.getKey();
      int dot = k.lastIndexOf('.');
      String base = k.substring(0, dot);
      String leaf = k.substring(dot + 1);
      float[] u = uniform("module." + k, (int) count(e.getValue()), seed);
      boolean bn = shapes.containsKey(base + ".running_mean");
      if (bn) {
        switch (leaf) {
          case "weight" -> affine(u, 0.25f, 1f);
          case "running_var" -> affine(u, 0.5f, 1f);
          default -> affine(u, 0.1f, 0f);
        }
      } else {
        long[] w = shapes.get(base + ".weight");
        long fanIn = w[1] * w[2] * w[3];
        float bound = leaf.equals("weight") ? (float) (gain * Math.sqrt(6.0 / fanIn)) : (float) (1.0 / Math.sqrt(fanIn));
        for (int i = 0; i < u.length; i++) {
          u[i] = u[i] * bound;
        }
      }
      out.put(k, u);
    }
    return out;
  }

  /** n values in [-1, 1): murmur3's fmix32 of a linear mix of seed, key checksum and index. */
  static float[] uniform(String key, int n, int seed) {
    CRC32 crc = new CRC32();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    int base = seed * 0x9E3779B1 + (int) crc.getValue() * 0x85EBCA77;
    float[] u = new float[n];
    for (int i = 0; i < n; i++) {
      int x = base + i * 0xC2B2AE3D;
      x ^= x >>> 16;
      x *= 0x85EBCA6B;
      x ^= x >>> 13;
      x *= 0xC2B2AE35;
      x ^= x >>> 16;
      u[i] = (x >>> 8) * 0x1p-23f - 1f;
    }
    return u;
  }

  private static void affine(float[] u, float scale, float shift) {
    for (int i = 0; i < u.length; i++) {
      u[i] = scale * u[i] + shift;
    }
  }

  static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
