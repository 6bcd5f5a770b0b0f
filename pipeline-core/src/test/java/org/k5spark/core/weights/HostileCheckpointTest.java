package org.k5spark.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.engine.TorchRuntime;

/**
 * Hostile checkpoints (made by tools/pth/make_pth_fixtures.py, which proves each payload live: under
 * torch.load(weights_only=False) it creates {@link #MARKER}). Each is refused with one exact line, the marker
 * never appears, and the JVM goes on reading good files. Then seeded random corruptions of a good file: each
 * either loads or is one WeightFileException line, never another exception.
 */
class HostileCheckpointTest {
  static final Path MARKER = Path.of("/tmp/k5spark-pth-marker");
  private static final String ONLY = " (a plain state_dict needs only torch._utils._rebuild_tensor_v2, torch.*Storage"
      + " and collections.OrderedDict; nothing in the file was executed)";

  @BeforeAll
  static void noMarkerYet() throws Exception {
    Files.deleteIfExists(MARKER);
  }

  private static String refusal(String file) throws Exception {
    Path p = TorchCheckpointTest.fixture(file);
    var e = assertThrows(WeightFileException.class, () -> {
      try (TensorSource src = TensorSource.open(p); NDManager m = TorchRuntime.newManager(Device.cpu())) {
        for (String k : src.keys()) {
          src.load(k, m, null).close();
        }
      }
    }, file);
    assertFalse(Files.exists(MARKER), file + " ran its payload");
    String prefix = p + ": ";
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage().substring(prefix.length());
  }

  @Test
  void codeExecutionPayloadsAreRefusedAtTheirGlobal() throws Exception {
    Map<String, String> want = new LinkedHashMap<>();
    want.put("h_posix_system.pth", "refused global 'posix.system' at byte 169 of h_posix_system/data.pkl");
    want.put("h_os_system.pth", "refused global 'os.system' at byte 169 of h_posix_system/data.pkl");
    // protocol 2 writes builtins under their Python 2 name
    want.put("h_builtins_eval.pth", "refused global '__builtin__.eval' at byte 169 of h_builtins_eval/data.pkl");
    want.put("h_stack_global.pth", "refused global 'posix.system' at byte 177 of h_stack_global/data.pkl");
    // _rebuild_tensor_v2(<os.system(cmd)>, ...): the inner __reduce__ is reached and refused before any call
    want.put("h_nested_reduce.pth", "refused global 'posix.system' at byte 49 of h_nested_reduce/data.pkl");
    want.put("h_getattr_chain.pth", "refused global 'builtins.getattr' at byte 10 of archive/data.pkl");
    want.put("h_whole_module.pth", "refused global 'torch.nn.modules.linear.Linear' at byte 15 of h_whole_module/data.pkl");
    // allowed globals applied to what a state_dict never holds
    want.put("h_reduce_ordereddict.pth",
        "refused REDUCE of collections.OrderedDict on a tuple of 1 at byte 197 of h_reduce_ordereddict/data.pkl");
    want.put("h_reduce_storage.pth", "refused REDUCE of torch.FloatStorage on a tuple of 1 at byte 176 of h_reduce_storage/data.pkl");
    want.put("h_set_opcode.pth", "refused opcode EMPTY_SET (0x8f) at byte 163 of h_set_opcode/data.pkl");
    // a TorchScript archive (constants.pkl present) reads __torch__ module objects as data, nothing more
    want.put("h_script_posix.pt", "refused global 'posix.system' at byte 169 of h_posix_system/data.pkl");
    want.put("h_duplicate_key.pth", "refused duplicate key 'a' at byte 218 of h_dup_key_src/data.pkl");
    for (var e : want.entrySet()) {
      assertEquals(e.getValue() + ONLY, refusal(e.getKey()), e.getKey());
    }
  }

  @Test
  void brokenArchivesAndLyingSizesAreRefused() throws Exception {
    Map<String, String> want = new LinkedHashMap<>();
    want.put("h_short_storage.pth", "tensor 'weight': storage 0 declares 6 F32 elements (24 bytes) but"
        + " model_wrapped/data/0 holds 8 bytes");
    want.put("h_huge_numel.pth", "tensor 'w': declared sizes overflow 64 bits (storage of 2305843009213693952 F32"
        + " elements, view shape [2])");
    want.put("h_view_beyond.pth", "tensor 'w': view (offset 0, shape [1099511627776], stride [1]) reaches element"
        + " 1099511627775 of a storage of 4");
    want.put("h_view_overflow.pth", "tensor 'w': declared sizes overflow 64 bits (storage of 4 F32 elements, view"
        + " shape [4294967296, 4294967296])");
    want.put("h_zip_bomb.pth", "zip entry 'archive/data.pkl' is compressed (method 8); torch.save stores every entry"
        + " uncompressed");
    want.put("h_truncated.pth", "not a readable zip archive (truncated or corrupt?): zip END header not found");
    want.put("h_duplicate_entry.pth", "zip entry 'model_wrapped/data/0' appears twice");
    want.put("h_legacy.pth", "a bare pickle (torch.save before PyTorch 1.6, or pickle.dump), which k5spark does not"
        + " read; " + CheckpointFormat.RESAVE);
    for (var e : want.entrySet()) {
      assertEquals(e.getValue(), refusal(e.getKey()), e.getKey());
    }
    // and the JVM is fine: a good file still loads
    try (TensorSource src = TensorSource.open(TorchCheckpointTest.fixture("model_wrapped.pth"))) {
      assertEquals(6, src.floats("weight").length);
    }
  }

  /** Seeded corruptions of data.pkl (byte flips, truncations) and of the whole file: load or one clean line. */
  @Test
  void fuzzedPicklesLoadOrFailWithOneLine(@TempDir Path dir) throws Exception {
    Path good = TorchCheckpointTest.fixture("dtypes.pth");
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(good.toFile())) {
      for (var it = z.entries(); it.hasMoreElements(); ) {
        ZipEntry e = it.nextElement();
        entries.put(e.getName(), z.getInputStream(e).readAllBytes());
      }
    }
    byte[] whole = Files.readAllBytes(good);
    Random rnd = new Random(17);
    int loaded = 0;
    int refused = 0;
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      for (int i = 0; i < 400; i++) {
        Path f = dir.resolve("f" + i + ".pth");
        if (i % 4 == 3) {
          byte[] b = whole.clone();
          int cut = rnd.nextInt(b.length);
          b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
          Files.write(f, i % 8 == 3 ? java.util.Arrays.copyOf(b, cut) : b);
        } else {
          byte[] pkl = entries.get("dtypes/data.pkl").clone();
          for (int k = 0, n = 1 + rnd.nextInt(3); k < n; k++) {
            pkl[rnd.nextInt(pkl.length)] = (byte) rnd.nextInt(256);
          }
          if (i % 4 == 2) {
            pkl = java.util.Arrays.copyOf(pkl, rnd.nextInt(pkl.length));
          }
          writeStored(f, entries, pkl);
        }
        try (TensorSource src = TensorSource.open(f)) {
          for (String k : src.keys()) {
            src.load(k, m, null).close();
          }
          loaded++;
        } catch (WeightFileException e) {
          assertFalse(e.getMessage().contains("\n"), e.getMessage());
          assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
          refused++;
        } catch (RuntimeException e) {
          fail("case " + i + ": " + e, e);
        }
      }
    }
    System.out.printf("fuzz: %d loaded, %d refused%n", loaded, refused);
    assertTrue(refused > 300, "most corruptions must be caught: " + refused);
    assertFalse(Files.exists(MARKER));
  }

  private static void writeStored(Path f, Map<String, byte[]> entries, byte[] pkl) throws Exception {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (ZipOutputStream zo = new ZipOutputStream(bo)) {
      for (var e : entries.entrySet()) {
        byte[] b = e.getKey().endsWith("data.pkl") ? pkl : e.getValue();
        ZipEntry z = new ZipEntry(e.getKey());
        z.setMethod(ZipEntry.STORED);
        z.setSize(b.length);
        CRC32 crc = new CRC32();
        crc.update(b);
        z.setCrc(crc.getValue());
        zo.putNextEntry(z);
        zo.write(b);
        zo.closeEntry();
      }
    }
    Files.write(f, bo.toByteArray());
  }
}
