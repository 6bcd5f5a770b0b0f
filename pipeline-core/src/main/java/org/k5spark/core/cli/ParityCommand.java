package org.k5spark.core.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.engine.UnsupportedHostException;
import org.k5spark.core.golden.CaseKind;
import org.k5spark.core.golden.CaseKinds;
import org.k5spark.core.golden.Comparison;
import org.k5spark.core.golden.GoldenCase;
import org.k5spark.core.golden.PreparedCase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code k5 parity <case-dir>}: runs one golden case and compares every expected output. */
@Command(name = "parity", mixinStandardHelpOptions = true,
    description = {"Run ONE golden case (../shared/golden format) and compare every expected output.",
        "Prints a line per output tensor; the last line is 'PASS max_abs=… max_rel=…' or 'FAIL …'.",
        "Exit code 0 only on PASS; 2 (one line on stderr) where the host cannot run it: --device gpu without a GPU,"
            + " a missing CUDA library, a second libtorch in the process."})
public final class ParityCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "<case-dir>", description = "directory holding case.json")
  Path caseDir;

  @Option(names = "--repeat", paramLabel = "N", description = "time N calls after one warm-up; prints ms_per_call=<median>")
  int repeat;

  @Option(names = "--warmup", paramLabel = "W", description = "extra untimed calls before the --repeat ones"
      + " (default 0: only the parity run warms up); a JVM reaches its steady speed after some hundred DiT calls")
  int warmup;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--attention", description = "attention backend: sdpa (fused, default) or chunked")
  String attention;

  @Override
  public Integer call() {
    if (attention != null) {
      System.setProperty("k5.attention", attention);
    }
    return run(caseDir, warmup, repeat, device, System.out);
  }

  /** Runs the case and prints the report; returns the exit code (0 pass, 1 fail, 2 host unusable). */
  public static int run(Path caseDir, int repeat, String deviceSpec, java.io.PrintStream out) {
    return run(caseDir, 0, repeat, deviceSpec, out);
  }

  /** As {@link #run(Path, int, String, java.io.PrintStream)} with {@code warmup} untimed calls before timing. */
  public static int run(Path caseDir, int warmup, int repeat, String deviceSpec, java.io.PrintStream out) {
    GoldenCase c;
    try {
      c = GoldenCase.open(caseDir);
    } catch (RuntimeException e) {
      out.println("FAIL " + e.getMessage());
      return 1;
    }
    try (c) {
      CaseKind kind = CaseKinds.find(c.kind());
      if (kind == null) {
        out.println("FAIL unsupported kind " + c.kind());
        return 1;
      }
      String why = kind.unsupportedReason(c);
      if (why != null) {
        out.println("FAIL unsupported kind " + c.kind() + " (" + why + ")");
        return 1;
      }
      Device device;
      try {
        device = TorchRuntime.device(deviceSpec); // loads libtorch: a host that cannot is one line, exit 2
      } catch (UnsupportedHostException | IllegalArgumentException e) {
        System.err.println("k5 parity: " + e.getMessage());
        return ExitCode.USAGE;
      }
      try (NDManager base = TorchRuntime.newManager(device);
          PreparedCase prepared = kind.prepare(c, base, device)) {
        List<Comparison> results = new ArrayList<>();
        try (NDManager scratch = base.newSubManager()) {
          Map<String, NDArray> outputs = prepared.run(scratch);
          for (GoldenCase.Ref ref : c.outputs().values()) {
            NDArray actual = outputs.get(ref.name());
            if (actual == null) {
              results.add(new Comparison(ref.name(), false, Double.NaN, Double.NaN, -1, "not produced"));
              continue;
            }
            try (NDManager cmp = base.newSubManager(Device.cpu())) {
              NDArray cpu = actual.toDevice(Device.cpu(), true);
              cpu.attach(cmp);
              results.add(Comparison.of(c, ref, cpu));
            }
          }
        }
        double maxAbs = 0;
        double maxRel = 0;
        boolean pass = true;
        for (Comparison r : results) {
          out.printf(Locale.ROOT, "%-28s %s max_abs=%.3e max_rel=%.3e %s%n", r.name(), r.pass() ? "ok  " : "FAIL",
              r.maxAbs(), r.maxRel(), r.detail());
          pass &= r.pass();
          if (!Double.isNaN(r.maxAbs())) {
            maxAbs = Math.max(maxAbs, r.maxAbs());
            maxRel = Math.max(maxRel, r.maxRel());
          }
        }
        if (repeat > 0) {
          for (int i = 0; i < warmup; i++) {
            try (NDManager scratch = base.newSubManager()) {
              prepared.run(scratch);
            }
          }
          double[] ms = new double[repeat];
          for (int i = 0; i < repeat; i++) {
            try (NDManager scratch = base.newSubManager()) {
              long t0 = System.nanoTime();
              Map<String, NDArray> o = prepared.run(scratch);
              // force the lazy device work to finish before stopping the clock
              o.values().forEach(a -> a.toType(a.getDataType(), false).getShape());
              if (!device.equals(Device.cpu())) {
                o.values().iterator().next().toDevice(Device.cpu(), true);
              }
              ms[i] = (System.nanoTime() - t0) / 1e6;
            }
          }
          Arrays.sort(ms);
          double median = repeat % 2 == 1 ? ms[repeat / 2] : (ms[repeat / 2 - 1] + ms[repeat / 2]) / 2;
          out.printf(Locale.ROOT, "ms_per_call=%.1f%n", median);
        }
        if (results.isEmpty()) {
          out.println("FAIL case lists no outputs");
          return 1;
        }
        out.printf(Locale.ROOT, "%s max_abs=%.3e max_rel=%.3e%n", pass ? "PASS" : "FAIL", maxAbs, maxRel);
        return pass ? 0 : 1;
      } catch (RuntimeException e) {
        out.println("FAIL " + e.getClass().getSimpleName() + ": " + e.getMessage());
        return 1;
      }
    }
  }
}
