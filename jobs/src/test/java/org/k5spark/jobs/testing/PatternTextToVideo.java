package org.k5spark.jobs.testing;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.k5spark.core.pipeline.GeneratedVideo;
import org.k5spark.core.pipeline.ModelIdentity;
import org.k5spark.core.pipeline.StageTimings;
import org.k5spark.core.pipeline.TextToVideo;
import org.k5spark.core.pipeline.TextToVideoFactory;
import org.k5spark.core.pipeline.VideoRequest;
import org.k5spark.core.video.VideoFrames;

/**
 * Test-only model: renders a flat colour derived from the request seed with a white 8x8 square that
 * moves 4 px per frame, so tests can check decoded pixels against the seed. Configured by a
 * properties file given as the model config: width, height, frames, fps, steps, plus failure
 * injection ({@code fail}: prompts containing it always throw; {@code oomUnlessTiling}: prompts
 * containing it throw OutOfMemoryError unless VAE tiling is on).
 */
public final class PatternTextToVideo implements TextToVideo {
  /** Prompt fragments that kill the task (an Error the job does not isolate) once, then behave. */
  public static final Set<String> CRASH_ONCE = ConcurrentHashMap.newKeySet();

  /** Error thrown to simulate an executor-level crash mid-task. */
  public static final class InjectedCrash extends Error {
    public InjectedCrash(String m) {
      super(m);
    }
  }

  public static final class Factory implements TextToVideoFactory {
    @Override
    public TextToVideo create(String modelConfig, String weightsRoot, Device device) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(Path.of(modelConfig))) {
        p.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException("fake model config " + modelConfig + ": " + e, e);
      }
      return new PatternTextToVideo(p, device);
    }
  }

  private final int width;
  private final int height;
  private final int frames;
  private final double fps;
  private final int steps;
  private final String fail;
  private final String oomUnlessTiling;
  private final Device device;

  PatternTextToVideo(Properties p, Device device) {
    this.width = Integer.parseInt(p.getProperty("width", "64"));
    this.height = Integer.parseInt(p.getProperty("height", "48"));
    this.frames = Integer.parseInt(p.getProperty("frames", "8"));
    this.fps = Double.parseDouble(p.getProperty("fps", "8"));
    this.steps = Integer.parseInt(p.getProperty("steps", "4"));
    this.fail = p.getProperty("fail");
    this.oomUnlessTiling = p.getProperty("oomUnlessTiling");
    this.device = device;
  }

  public Device device() {
    return device;
  }

  /** The flat background colour the pattern uses for {@code seed}. */
  public static int[] colour(long seed) {
    return new int[] {(int) (40 + seed % 170), (int) (40 + (seed / 170) % 170), (int) (40 + (seed / 28_900) % 170)};
  }

  /** x of the moving square's left edge in frame f. */
  public static int squareX(int f, int width) {
    return (f * 4) % (width - 8);
  }

  @Override
  public GeneratedVideo generate(VideoRequest r, IntConsumer onStep) {
    for (String c : CRASH_ONCE) {
      if (r.prompt().contains(c) && CRASH_ONCE.remove(c)) {
        throw new InjectedCrash("injected crash on '" + c + "'");
      }
    }
    if (fail != null && r.prompt().contains(fail)) {
      throw new IllegalStateException("injected failure for '" + fail + "'");
    }
    if (oomUnlessTiling != null && r.prompt().contains(oomUnlessTiling) && !r.vaeTiling()) {
      throw new OutOfMemoryError("injected OOM without VAE tiling");
    }
    StageTimings t = new StageTimings();
    int w = r.width() == null ? width : r.width();
    int h = r.height() == null ? height : r.height();
    int n = r.seconds() == null ? frames : (int) Math.round(r.seconds() * fps);
    byte[] rgb = t.time("denoise", () -> {
      int[] c = colour(r.seed());
      byte[] px = new byte[n * h * w * 3];
      for (int f = 0; f < n; f++) {
        int sx = squareX(f, w);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            boolean sq = x >= sx && x < sx + 8 && y >= 8 && y < 16;
            int o = ((f * h + y) * w + x) * 3;
            for (int k = 0; k < 3; k++) {
              px[o + k] = (byte) (sq ? 255 : c[k]);
            }
          }
        }
        onStep.accept(f);
      }
      return px;
    });
    t.add("text_encode", 0.1);
    t.add("decode", 0.1);
    int s = r.steps() == null ? steps : r.steps();
    double g = r.guidanceWeight() == null ? 5.0 : r.guidanceWeight();
    return new GeneratedVideo(new VideoFrames(n, h, w, fps, rgb), t, s, g, w, h, r.prompt().length() > 500);
  }

  @Override
  public ModelIdentity identity() {
    return new ModelIdentity("fake-pattern", "sha256:fake-ckpt", "sha256:fake-config-" + width + "x" + height, steps, 5.0,
        width, height, frames);
  }

  @Override
  public void close() {}
}
