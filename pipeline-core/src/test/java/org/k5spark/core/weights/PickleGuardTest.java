package org.k5spark.core.weights;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PickleGuardTest {
  /** A safetensors header of 640 bytes starts with 80 02, like pickle protocol 2: it must not be refused. */
  @Test
  void safetensorsWhoseLengthLooksLikePickleIsAccepted(@TempDir Path dir) throws IOException {
    Path st = dir.resolve("x.safetensors");
    byte[] b = new byte[16];
    b[0] = (byte) 0x80;
    b[1] = 2;
    b[8] = '{';
    Files.write(st, b);
    assertDoesNotThrow(() -> PickleGuard.refuseIfPickle(st));
    Path pickle = dir.resolve("y.safetensors");
    Files.write(pickle, new byte[] {(byte) 0x80, 2, '}', 'q', 0, 'X', 1, 0, 0});
    assertThrows(WeightFileException.class, () -> PickleGuard.refuseIfPickle(pickle));
  }
}
