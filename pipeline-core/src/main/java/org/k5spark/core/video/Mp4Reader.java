package org.k5spark.core.video;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes every frame of a video (MP4/MOV, Matroska/WebM or AVI) to RGB24 through libswscale — the same
 * path as VBench's cv2/decord readers, so decoded pixels agree up to decoder noise.
 *
 * <p>Every failure — missing, empty, non-video, corrupt or truncated input — is one {@link VideoFileException}
 * naming the file and the reason. Inputs that open no MP4/MOV, Matroska/WebM or AVI container are refused by
 * {@link VideoContainer} before FFmpeg touches them. A file whose stream declares more frames than decode is "truncated".
 */
public final class Mp4Reader {
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8L;

  public Mp4Reader() {
    FFmpegLogging.quiet();
  }

  public DecodedVideo read(Path file) {
    VideoContainer.check(file);
    return decode(new FFmpegFrameGrabber(file.toFile()), file.toString());
  }

  /** Reads from a stream (left open); {@code name} labels errors. Plain (non-fragmented) MP4s are buffered to seek. */
  public DecodedVideo read(InputStream in, String name) {
    // peek at the container magic before FFmpeg probes (and accepts) text or images; the grabber reuses the
    // buffered stream, so nothing is read twice
    BufferedInputStream buffered = new BufferedInputStream(in);
    try {
      buffered.mark(VideoContainer.HEAD);
      byte[] head = buffered.readNBytes(VideoContainer.HEAD);
      buffered.reset();
      VideoContainer.check(name, head, head.length);
    } catch (IOException e) {
      throw new VideoFileException(name, "cannot read: " + e.getMessage(), e);
    }
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(buffered);
    grabber.setCloseInputStream(false);
    return decode(grabber, name);
  }

  private static DecodedVideo decode(FFmpegFrameGrabber grabber, String name) {
    grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
    try {
      try {
        grabber.start();
      } catch (FrameGrabber.Exception e) {
        throw new VideoFileException(name, "not a readable video (" + e.getMessage() + ")", e);
      }
      if (!grabber.hasVideo() || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
        throw new VideoFileException(name, "no video stream");
      }
      int width = grabber.getImageWidth();
      int height = grabber.getImageHeight();
      int frameBytes = width * height * 3;
      long declared = declaredFrames(grabber.getFormatContext());
      List<byte[]> frames = new ArrayList<>();
      while (true) {
        Frame frame;
        try {
          frame = grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
          throw new VideoFileException(name, "corrupt video: decoding failed after " + frames.size() + " frames ("
              + e.getMessage() + ")", e);
        }
        if (frame == null) {
          break;
        }
        if (frame.imageWidth != width || frame.imageHeight != height) {
          throw new VideoFileException(name, "frame " + frames.size() + " is " + frame.imageWidth + "x" + frame.imageHeight
              + ", stream is " + width + "x" + height);
        }
        if ((long) (frames.size() + 1) * frameBytes > MAX_BYTES) {
          throw new VideoFileException(name, "too large to hold in memory (> 2 GiB of RGB)");
        }
        frames.add(copyRgb(frame, width, height));
      }
      // a cut file may yield 0 or 1 frames depending on decoder threading: both are "truncated" when the
      // container promised more
      if (declared > 0 && frames.size() < declared) {
        throw new VideoFileException(name, "truncated or corrupt: decoded " + frames.size() + " of " + declared + " frames");
      }
      if (frames.isEmpty()) {
        throw new VideoFileException(name, "no decodable frames");
      }
      double fps = grabber.getVideoFrameRate();
      if (!(fps > 0)) {
        throw new VideoFileException(name, "stream has no frame rate");
      }
      byte[] rgb = new byte[frames.size() * frameBytes];
      for (int f = 0; f < frames.size(); f++) {
        System.arraycopy(frames.get(f), 0, rgb, f * frameBytes, frameBytes);
      }
      VideoFrames video = new VideoFrames(frames.size(), height, width, fps, rgb);
      String codec = grabber.getVideoCodecName();
      return new DecodedVideo(video, new VideoMetadata(codec, fps, frames.size(), width, height));
    } finally {
      try {
        grabber.release();
      } catch (FrameGrabber.Exception ignored) {
        // nothing useful to add to the primary outcome
      }
    }
  }

  /** Tightly packed RGB rows; the decoder's line stride may carry padding. */
  private static byte[] copyRgb(Frame frame, int width, int height) {
    ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
    int stride = frame.imageStride;
    int row = width * 3;
    byte[] out = new byte[row * height];
    for (int y = 0; y < height; y++) {
      src.position(y * stride);
      src.get(out, y * row, row);
    }
    return out;
  }

  private static long declaredFrames(AVFormatContext ctx) {
    for (int i = 0; i < ctx.nb_streams(); i++) {
      AVStream stream = ctx.streams(i);
      if (stream.codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
        return stream.nb_frames();
      }
    }
    return 0;
  }
}
