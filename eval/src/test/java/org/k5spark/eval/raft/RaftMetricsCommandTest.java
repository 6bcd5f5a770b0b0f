package org.k5spark.eval.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.video.Mp4Writer;
import org.k5spark.core.weights.SafetensorsWriter;
import org.k5spark.eval.SyntheticVideos;
import org.k5spark.eval.cli.MetricsCommand;
import picocli.CommandLine;

/** {@code k5 metrics}: RAFT is dynamic_degree's estimator whenever --weights-dir holds its weights. */
class RaftMetricsCommandTest {
  @TempDir
  Path dir;

  @Test
  void raftIsTheDefaultWhenItsWeightsArePresentAndFarnebackStaysSelectable() throws Exception {
    Path weights = Files.createDirectory(dir.resolve("weights"));
    SafetensorsWriter w = new SafetensorsWriter();
    RaftRandomWeights.build(1, 0.4).forEach((k, v) -> w.putFloats("module." + k, RaftLayout.shapes().get(k), v));
    w.write(weights.resolve(RaftWeights.FILE));
    Path mp4 = dir.resolve("square.mp4");
    // 4 frames at 24 fps: interval 3, frames 0 and 3, one pair (RAFT needs >= 128 px for its coarsest level)
    new Mp4Writer().write(SyntheticVideos.movingSquare(4, 128, 128, 24, 32, 10, 20, 3, 1), mp4);

    JsonNode raft = metrics(mp4.toString(), "--weights-dir", weights.toString()).get("dynamic_degree");
    assertEquals("raft", raft.get("estimator").asText(), raft.toString());
    assertTrue(raft.get("value").isBoolean(), raft.toString());
    assertEquals(2, raft.get("details").get("sampled_frames").asInt(), raft.toString());
    // VBench's count_num = round(4*2/16) = 0: check_move is true before looking at any score
    assertTrue(raft.get("value").asBoolean(), raft.toString());

    JsonNode fb = metrics(mp4.toString(), "--weights-dir", weights.toString(), "--flow", "farneback")
        .get("dynamic_degree");
    assertEquals("farneback", fb.get("estimator").asText(), fb.toString());
  }

  private static JsonNode metrics(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new MetricsCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    assertEquals(0, code, err.toString());
    return new ObjectMapper().readTree(out.toString()).get("metrics");
  }
}
