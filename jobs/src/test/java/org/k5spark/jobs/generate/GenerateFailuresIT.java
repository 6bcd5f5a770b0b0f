package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.cli.ExitCode;
import org.k5spark.core.testing.SafetensorsPatch;
import org.k5spark.core.tiny.TinyCheckpoint;

/**
 * Failures as a user meets them: the real {@code submit/k5 generate} in its own JVM, under the CLI's own master
 * ({@code local[*,4]}, or {@code local[1]} where the test needs one video at a time), on the real tiny model. A
 * broken checkpoint, poisoned weights, an output directory that stops accepting videos mid-run, and a
 * {@code kill -9} followed by a re-run. Runs in {@code verify} (failsafe), after {@code package} has written the
 * classpath files {@code submit/k5} starts from.
 */
class GenerateFailuresIT {
  private static final Path K5 = Path.of("..", "submit", "k5").toAbsolutePath().normalize();
  private static final String PROMPTS = "prompt\nA cat\nA dog\nA fox\nRain on a window\nA boat\nA tree\n";

  @TempDir Path tmp;

  @Test
  void aCorruptDitCheckpointIsOneLineBeforeTheStageAndWritesNothing() throws Exception {
    Path weights = tmp.resolve("w");
    TinyCheckpoint.writeAll(weights);
    Path dit = weights.resolve("model/kandinsky5lite_t2v_tiny.safetensors");
    Files.write(dit, "not a safetensors file at all".getBytes(StandardCharsets.US_ASCII));

    Run r = k5("generate", "--prompts", prompts(4).toString(), "--out", "out", "--run-id", "bad", "--model", "tiny",
        "--weights-root", weights.toString()).waitFor();

    assertEquals(ExitCode.REFUSED, r.rc, r.err);
    // 29 bytes: the 8-byte little-endian header length reads as "not a sa" = 0x6173206120746f6e
    assertEquals(List.of("generate: DiT checkpoint " + dit + ": corrupt safetensors header length "
        + Long.parseUnsignedLong("6173206120746f6e", 16) + " (file has 29 bytes)"), r.k5Lines());
    assertNoTrace(r);
    assertFalse(Files.exists(tmp.resolve("out")), "a refused run writes nothing");
  }

  @Test
  void nanWeightsFailEveryPromptWithTheTensorNamedAndTheRunFails() throws Exception {
    Path weights = tmp.resolve("w");
    TinyCheckpoint.writeAll(weights);
    Path dit = weights.resolve("model/kandinsky5lite_t2v_tiny.safetensors");
    SafetensorsPatch.set(dit, "text_embeddings.in_layer.bias", 3, (short) 0x7FC0); // bf16 quiet NaN

    Run r = k5("generate", "--prompts", prompts(4).toString(), "--out", "out", "--run-id", "nan", "--model", "tiny",
        "--weights-root", weights.toString()).waitFor();

    assertEquals(ExitCode.TOO_MANY_FAILED, r.rc, r.err);
    assertTrue(r.out.contains("k5 generate nan: 4 input rows, 0 ok, 4 failed, 0 rejected, 0 already done"), r.out);
    assertEquals(List.of("k5 generate: 100.0% of prompts failed, over --max-failed-fraction 5.0%"),
        r.err.lines().filter(l -> l.startsWith("k5 generate:")).toList());
    List<CSVRecord> rows = manifest(tmp.resolve("out/nan"));
    assertEquals(4, rows.size());
    for (CSVRecord row : rows) {
      assertEquals("failed", row.get("status"));
      assertEquals("org.k5spark.core.weights.WeightFileException: " + dit
          + ": tensor 'text_embeddings.in_layer.bias' has 1 non-finite value(s) (NaN or Inf)", row.get("error"));
      assertEquals("", row.get("video_path"));
    }
    assertEquals("failed", runState(tmp.resolve("out/nan")));
    Path videos = tmp.resolve("out/nan/videos");
    assertTrue(!Files.exists(videos) || names(videos).isEmpty(), "no video for a poisoned model");
  }

  /**
   * After k videos, {@code videos/} is replaced by a regular file: from then on nobody (root included, which a
   * chmod would not stop) can commit a video. The k committed stay ok, the rest fail with the reason.
   */
  @Test
  void videosStopBeingWritableAfterKVideosThoseStayOkTheRestFail() throws Exception {
    Path run = tmp.resolve("out/ro");
    Run r = k5("generate", "--prompts", prompts(6).toString(), "--out", "out", "--run-id", "ro", "--model", "tiny",
        "--batch-size", "1", "--master", "local[1]");
    Path videos = run.resolve("videos");
    awaitVideos(r, videos, 2);
    Path saved = run.resolve("videos.saved");
    Files.move(videos, saved);
    Files.writeString(videos, "in the way");
    r.waitFor();
    Files.delete(videos);
    Files.move(saved, videos);

    assertEquals(ExitCode.TOO_MANY_FAILED, r.rc, r.err);
    List<CSVRecord> rows = manifest(run);
    assertEquals(6, rows.size());
    Set<String> onDisk = names(videos);
    int k = onDisk.size();
    assertTrue(k >= 2 && k < 6, "committed before the switch: " + onDisk);
    List<CSVRecord> ok = rows.stream().filter(x -> x.get("status").equals("ok")).toList();
    assertEquals(onDisk, ok.stream().map(x -> x.get("prompt_id") + ".mp4").collect(Collectors.toCollection(TreeSet::new)));
    for (CSVRecord row : ok) {
      assertEquals(row.get("video_sha256"), sha256(videos.resolve(row.get("prompt_id") + ".mp4")));
    }
    List<CSVRecord> failed = rows.stream().filter(x -> x.get("status").equals("failed")).toList();
    assertEquals(6 - k, failed.size());
    for (CSVRecord row : failed) {
      assertEquals("java.io.UncheckedIOException: org.apache.hadoop.fs.FileAlreadyExistsException: Destination exists"
          + " and is not a directory: " + videos, row.get("error"));
    }
    assertTrue(r.out.contains("k5 generate ro: 6 input rows, " + k + " ok, " + (6 - k) + " failed"), r.out);
    assertEquals("failed", runState(run));
    assertFalse(Files.exists(run.resolve("_tmp")), "the run's temp area is removed when it ends");
  }

  /** A real {@code kill -9} of the generating JVM after two videos, then the same command again. */
  @Test
  void killMinus9MidRunThenReRunCompletesWithoutDuplicatesOrLeftovers() throws Exception {
    Path run = tmp.resolve("out/kill");
    String[] cmd = {"generate", "--prompts", prompts(6).toString(), "--out", "out", "--run-id", "kill", "--model",
        "tiny", "--batch-size", "1", "--master", "local[1]"};
    Run first = k5(cmd);
    awaitVideos(first, run.resolve("videos"), 2);
    long pid = first.process.pid();
    first.process.destroyForcibly(); // SIGKILL: submit/k5 execs the JVM, so this is the generating process itself
    assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, first.process.exitValue(), "killed by SIGKILL");
    assertTrue(Files.isDirectory(tmp.resolve("jtmp/k5-scratch/" + pid)), "the killed JVM left its scratch");
    assertFalse(Files.exists(run.resolve("manifest.csv")), "killed before the job commit");

    Run second = k5(cmd).waitFor();

    assertEquals(ExitCode.OK, second.rc, second.err);
    assertTrue(second.out.contains("k5 generate kill: 6 input rows, 6 ok, 0 failed, 0 rejected, "), second.out);
    List<CSVRecord> rows = manifest(run);
    List<String> ids = rows.stream().map(x -> x.get("prompt_id")).toList();
    assertEquals(6, ids.size());
    assertEquals(6, Set.copyOf(ids).size(), "no duplicates: " + ids);
    Set<String> expected = new TreeSet<>();
    for (CSVRecord row : rows) {
      assertEquals("ok", row.get("status"));
      Path mp4 = run.resolve("videos").resolve(row.get("prompt_id") + ".mp4");
      assertEquals(row.get("video_sha256"), sha256(mp4), "whole, not a partial file: " + mp4);
      expected.add(mp4.getFileName().toString());
    }
    assertEquals(expected, names(run.resolve("videos")), "the manifest equals the files on disk");
    assertEquals(6, names(run.resolve("parts")).size());
    assertFalse(Files.exists(run.resolve("_tmp")));
    assertEquals("done", runState(run));
    // java.io.tmpdir: the killed JVM's scratch (its Spark dirs included) is gone, nothing else was left behind;
    // k5spark-digests is the checkpoint-digest cache, kept on purpose
    assertEquals(Set.of("k5-scratch", "k5spark-digests"), names(tmp.resolve("jtmp")));
    assertEquals(Set.of(), names(tmp.resolve("jtmp/k5-scratch")));
  }

  private Path prompts(int n) throws IOException {
    List<String> lines = PROMPTS.lines().limit(n + 1L).toList();
    return Files.writeString(tmp.resolve("prompts-" + n + ".csv"), String.join("\n", lines) + "\n");
  }

  private Run k5(String... args) throws IOException {
    Files.createDirectories(tmp.resolve("jtmp"));
    List<String> cmd = new ArrayList<>(List.of(K5.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
        .redirectOutput(tmp.resolve("k5.out").toFile()).redirectError(tmp.resolve("k5.err").toFile());
    // the tiny model needs little heap; its own temp dir makes "nothing left behind" checkable
    pb.environment().put("K5_JAVA_OPTS", "-Xmx1g -Djava.io.tmpdir=" + tmp.resolve("jtmp"));
    return new Run(pb.start(), tmp);
  }

  private static void awaitVideos(Run r, Path videos, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (System.nanoTime() < deadline && r.process.isAlive()) {
      if (Files.isDirectory(videos) && names(videos).size() >= n) {
        return;
      }
      Thread.sleep(100);
    }
    r.process.destroyForcibly();
    throw new AssertionError(n + " videos never appeared in " + videos + ":\n" + Files.readString(r.dir.resolve("k5.err")));
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static List<CSVRecord> manifest(Path run) throws IOException {
    try (Reader in = Files.newBufferedReader(run.resolve("manifest.csv"))) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getRecords();
    }
  }

  private static String runState(Path run) throws IOException {
    return new ObjectMapper().readTree(run.resolve("run.json").toFile()).path("summary").path("state").asText();
  }

  private static String sha256(Path f) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }

  private static void assertNoTrace(Run r) {
    assertFalse(r.err.contains("\tat ") || r.out.contains("\tat "), "no stack trace:\n" + r.err + r.out);
  }

  /** One k5 process: its exit code and output once it has ended. */
  private static final class Run {
    final Process process;
    final Path dir;
    int rc = -1;
    String out = "";
    String err = "";

    Run(Process process, Path dir) {
      this.process = process;
      this.dir = dir;
    }

    Run waitFor() throws Exception {
      if (!process.waitFor(300, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("k5 did not finish in 300 s:\n" + Files.readString(dir.resolve("k5.err")));
      }
      rc = process.exitValue();
      out = Files.readString(dir.resolve("k5.out"));
      err = Files.readString(dir.resolve("k5.err"));
      return this;
    }

    /** The command's own lines on stderr (Spark's and DJL's log share it). */
    List<String> k5Lines() {
      return err.lines().filter(l -> l.startsWith("generate: ")).toList();
    }
  }
}
