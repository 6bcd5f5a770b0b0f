package org.k5spark.core.video;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Encodes {@link VideoFrames} as H.264 (libx264) in MP4, yuv420p, at the frames' own fps.
 *
 * <p>Two targets:
 * <ul>
 *   <li>{@link #write(VideoFrames, Path)}: a local file, written to a temporary file next to the target and
 *       renamed atomically; the moov atom is moved to the front ({@code +faststart}) so the file streams.</li>
 *   <li>{@link #write(VideoFrames, OutputStream)}: any stream (e.g. a Hadoop FS / s3a output stream) as a
 *       <em>fragmented</em> MP4 ({@code frag_keyframe+empty_moov}), because a plain MP4 needs to seek back to
 *       patch the moov atom. The caller owns atomicity there (Hadoop's create-then-rename or s3a's
 *       single-PUT-on-close).</li>
 * </ul>
 * Needs the {@code -gpl} FFmpeg natives: the LGPL build has no libx264 and FFmpeg would otherwise fall
 * back to a different encoder without an error, so the constructor refuses to run without it.
 */
public final class Mp4Writer {
  /** CRF 18 keeps a smooth 8-bit gradient above 40 dB PSNR; the model's own outputs are noisier. */
  public static final int DEFAULT_CRF = 18;
  public static final String DEFAULT_PRESET = "medium";
  public static final String CODEC = "libx264";

  private final int crf;
  private final String preset;

  public Mp4Writer() {
    this(DEFAULT_CRF, DEFAULT_PRESET);
  }

  /**
   * @param crf libx264 constant rate factor, 0 (lossless) .. 51; lower is better quality
   * @param preset libx264 speed preset (ultrafast .. veryslow)
   */
  public Mp4Writer(int crf, String preset) {
    if (crf < 0 || crf > 51) {
      throw new IllegalArgumentException("crf must be in 0..51: " + crf);
    }
    this.crf = crf;
    this.preset = preset;
    FFmpegLogging.quiet();
    if (avcodec.avcodec_find_encoder_by_name(CODEC) == null) {
      throw new IllegalStateException(CODEC + " encoder missing: the org.bytedeco:ffmpeg natives on the classpath are the"
          + " LGPL build; use classifier linux-x86_64-gpl");
    }
  }

  public int crf() {
    return crf;
  }

  public String preset() {
    return preset;
  }

  /** Writes {@code video} to {@code target} via a temporary file in the same directory and an atomic rename. */
  public void write(VideoFrames video, Path target) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(tmp.toFile(), video.width(), video.height(), 0);
      recorder.setOption("movflags", "+faststart");
      encode(recorder, video, target.toString());
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new VideoFileException(target.toString(), "cannot write: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original failure is the one worth reporting
        }
      }
    }
  }

  /**
   * Writes {@code video} as a fragmented MP4 to {@code out}; {@code name} only labels errors. The stream is
   * flushed, not closed.
   */
  public void write(VideoFrames video, OutputStream out, String name) {
    FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out, video.width(), video.height(), 0);
    recorder.setCloseOutputStream(false);
    recorder.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
    encode(recorder, video, name);
    try {
      out.flush();
    } catch (IOException e) {
      throw new VideoFileException(name, "cannot write: " + e.getMessage(), e);
    }
  }

  private void encode(FFmpegFrameRecorder recorder, VideoFrames video, String name) {
    if (video.width() % 2 != 0 || video.height() % 2 != 0) {
      throw new VideoFileException(name, "yuv420p needs even width and height, got " + video.width() + "x" + video.height());
    }
    recorder.setFormat("mp4");
    recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
    recorder.setVideoCodecName(CODEC);
    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
    recorder.setFrameRate(video.fps());
    recorder.setVideoOption("crf", Integer.toString(crf));
    recorder.setVideoOption("preset", preset);
    int frameBytes = video.frameBytes();
    ByteBuffer buffer = ByteBuffer.allocateDirect(frameBytes);
    try {
      recorder.start();
      for (int f = 0; f < video.frames(); f++) {
        buffer.clear();
        buffer.put(video.rgb(), f * frameBytes, frameBytes);
        buffer.flip();
        recorder.recordImage(video.width(), video.height(), Frame.DEPTH_UBYTE, 3, video.width() * 3,
            avutil.AV_PIX_FMT_RGB24, buffer);
      }
      recorder.stop();
    } catch (FFmpegFrameRecorder.Exception e) {
      throw new VideoFileException(name, "encoding failed: " + e.getMessage(), e);
    } finally {
      try {
        recorder.release();
      } catch (FFmpegFrameRecorder.Exception ignored) {
        // release after a failed start has nothing left to free
      }
    }
  }
}
