package org.k5spark.core.video;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Set;

/**
 * Decides from the first bytes whether an input is a video container we accept — MP4/MOV (ISO base media:
 * an {@code ftyp} box, or one of the top-level atoms old QuickTime files start with), Matroska/WebM (EBML magic
 * {@code 1A 45 DF A3}) or AVI ({@code RIFF....AVI }) — before FFmpeg sees it. FFmpeg probes anything: it reads a
 * text file through its "ansi" demuxer as 72 frames and a PNG as a 1-frame video, so without this check
 * {@code k5 metrics} and the evaluate job would score them. Every refusal is one {@link VideoFileException}
 * line naming the file and what it looks like instead.
 */
public final class VideoContainer {
  /** Bytes read to decide: the container magic needs 12; the rest tells text from binary in the reason. */
  static final int HEAD = 64;
  /** Top-level QuickTime atoms a MOV may open with instead of {@code ftyp}. */
  private static final Set<String> QUICKTIME_ATOMS = Set.of("ftyp", "moov", "mdat", "wide", "free", "skip", "pnot");

  private VideoContainer() {}

  /** The container the bytes open with: "mp4", "matroska" or "avi"; null for anything else. */
  public static String sniff(byte[] head, int n) {
    if (n >= 8 && QUICKTIME_ATOMS.contains(ascii(head, 4, 4))) {
      return "mp4";
    }
    if (n >= 4 && (head[0] & 0xff) == 0x1a && (head[1] & 0xff) == 0x45 && (head[2] & 0xff) == 0xdf
        && (head[3] & 0xff) == 0xa3) {
      return "matroska";
    }
    if (n >= 12 && ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 4).equals("AVI ")) {
      return "avi";
    }
    return null;
  }

  /**
   * Refuses a path that is not a regular, non-empty file holding a video container: a directory, a FIFO or
   * device (reading one would block or never end), a missing or empty file, or any other content.
   */
  public static void check(Path file) {
    String name = file.toString();
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new VideoFileException(name, "no such file");
    } catch (IOException e) {
      throw new VideoFileException(name, "cannot stat: " + e.getMessage(), e);
    }
    if (attrs.isDirectory()) {
      throw new VideoFileException(name, "is a directory, not a video file");
    }
    if (!attrs.isRegularFile()) {
      throw new VideoFileException(name, "not a regular file (a FIFO, socket or device), not a video file");
    }
    if (attrs.size() == 0) {
      throw new VideoFileException(name, "zero-length file");
    }
    byte[] head = new byte[HEAD];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, HEAD);
    } catch (IOException e) {
      throw new VideoFileException(name, "cannot read: " + e.getMessage(), e);
    }
    check(name, head, n);
  }

  /** Refuses {@code n} leading bytes that open no accepted container; {@code name} labels the error. */
  public static void check(String name, byte[] head, int n) {
    if (n == 0) {
      throw new VideoFileException(name, "zero-length file");
    }
    if (sniff(head, n) == null) {
      throw new VideoFileException(name, "not a video container (" + looksLike(head, n)
          + "); expected MP4/MOV, Matroska/WebM or AVI");
    }
  }

  /** A short guess at what the bytes are instead, for the error line. */
  static String looksLike(byte[] h, int n) {
    if (n >= 8 && (h[0] & 0xff) == 0x89 && ascii(h, 1, 3).equals("PNG")) {
      return "looks like a PNG image";
    }
    if (n >= 3 && (h[0] & 0xff) == 0xff && (h[1] & 0xff) == 0xd8 && (h[2] & 0xff) == 0xff) {
      return "looks like a JPEG image";
    }
    if (n >= 4 && ascii(h, 0, 4).equals("GIF8")) {
      return "looks like a GIF image";
    }
    if (n >= 4 && ascii(h, 0, 4).equals("%PDF")) {
      return "looks like a PDF document";
    }
    if (n >= 12 && ascii(h, 0, 4).equals("RIFF")) {
      return "a RIFF file of type '" + ascii(h, 8, 4) + "', not AVI";
    }
    if (text(h, n)) {
      return "looks like text";
    }
    StringBuilder hex = new StringBuilder("starts with bytes");
    for (int i = 0; i < Math.min(n, 8); i++) {
      hex.append(String.format(" %02x", h[i] & 0xff));
    }
    return hex.toString();
  }

  /** Printable ASCII, whitespace or UTF-8 multi-byte sequences only (a cut sequence at the end is allowed). */
  private static boolean text(byte[] h, int n) {
    for (int i = 0; i < n; i++) {
      int b = h[i] & 0xff;
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' || b == 0x7f) {
        return false;
      }
    }
    // bytes >= 0x80 must decode as UTF-8 (a cut multi-byte sequence at the end still counts)
    String s = new String(Arrays.copyOf(h, n), StandardCharsets.UTF_8);
    return s.indexOf('\uFFFD') < 0 || s.indexOf('\uFFFD') >= s.length() - 1;
  }

  private static String ascii(byte[] h, int from, int len) {
    return new String(h, from, len, StandardCharsets.ISO_8859_1);
  }
}
