package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.k5spark.jobs.testing.Mp4Frames;
import org.k5spark.jobs.testing.PatternTextToVideo;

/** Shared setup and checks for the job tests. */
final class JobFixtures {
  static final String FAKE_FACTORY = PatternTextToVideo.Factory.class.getName();

  private JobFixtures() {}

  static Path resource(String name) throws Exception {
    return Path.of(JobFixtures.class.getResource("/" + name).toURI());
  }

  static GenerateConfig config(List<String> prompts, String out, String runId, String model, int partitions) {
    return new GenerateConfig(prompts, out, runId, model, null, FAKE_FACTORY, GenerateConfig.DEFAULT_ENCODER,
        PromptReader.Options.defaults(), PromptSelection.all(), Sampling.defaults(), partitions, 0.1,
        true, 200);
  }

  static List<CSVRecord> manifest(FileSystem fs, org.apache.hadoop.fs.Path csv) throws Exception {
    try (InputStream in = fs.open(csv)) {
      return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
          .parse(new InputStreamReader(in, StandardCharsets.UTF_8)).getRecords();
    }
  }

  /** Decodes the video and checks frame count, size and the seed's colour and the moving square. */
  static void assertVideo(FileSystem fs, org.apache.hadoop.fs.Path mp4, long seed, int frames) throws Exception {
    Mp4Frames v;
    try (InputStream in = fs.open(mp4)) {
      v = Mp4Frames.decode(in);
    }
    assertEquals(frames, v.rgb.size(), mp4 + " frame count");
    assertEquals(64, v.width);
    assertEquals(48, v.height);
    assertEquals("h264", v.codec);
    int[] c = PatternTextToVideo.colour(seed);
    for (int f : new int[] {0, frames - 1}) {
      for (int k = 0; k < 3; k++) {
        double bg = v.mean(f, 4, 24, 56, 20, k);
        assertTrue(Math.abs(bg - c[k]) < 10, mp4 + " frame " + f + " channel " + k + ": " + bg + " vs " + c[k]);
      }
      double sq = v.mean(f, PatternTextToVideo.squareX(f, 64) + 2, 10, 4, 4, 1);
      assertTrue(sq > 200, mp4 + " square in frame " + f + ": " + sq);
    }
  }

  static Map<String, String> row(CSVRecord r) {
    return r.toMap();
  }

  static Configuration conf() {
    return org.k5spark.jobs.testing.SharedSpark.get().sparkContext().hadoopConfiguration();
  }
}
