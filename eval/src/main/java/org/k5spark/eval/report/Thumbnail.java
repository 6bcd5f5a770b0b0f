package org.k5spark.eval.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

/** An already-encoded PNG or JPEG image (a contact sheet made by the caller), embeddable as a data URI. */
public record Thumbnail(byte[] data, String mimeType) {
  public Thumbnail {
    if (!"image/png".equals(mimeType) && !"image/jpeg".equals(mimeType)) {
      throw new IllegalArgumentException("thumbnail must be image/png or image/jpeg, got " + mimeType);
    }
    data = data.clone();
  }

  /** Reads a PNG or JPEG file; the type comes from the magic bytes, not the file name. */
  public static Thumbnail read(Path file) throws IOException {
    return read(Files.readAllBytes(file), file.toString());
  }

  /** A PNG or JPEG from its bytes; {@code source} names it in errors. */
  public static Thumbnail read(byte[] b, String source) throws IOException {
    if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return new Thumbnail(b, "image/png");
    }
    if (b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
      return new Thumbnail(b, "image/jpeg");
    }
    throw new IOException(source + ": not a PNG or JPEG image");
  }

  public static Thumbnail of(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalArgumentException("no PNG writer for image type " + image.getType());
      }
      return new Thumbnail(out.toByteArray(), "image/png");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String dataUri() {
    return "data:" + mimeType + ";base64," + Base64.getEncoder().encodeToString(data);
  }
}
