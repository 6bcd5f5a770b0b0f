package org.k5spark.core.weights;

import java.util.List;
import java.util.Map;

/** Names for refusal messages: pickle opcodes, and hostile strings kept on one printable line. */
final class PickleText {
  private PickleText() {}

  static String describe(Object o) {
    if (o instanceof StateDictUnpickler.Global g) {
      return switch (g) {
        case REBUILD_TENSOR_V2 -> "torch._utils._rebuild_tensor_v2";
        case REBUILD_PARAMETER -> "torch._utils._rebuild_parameter";
        case ORDERED_DICT -> "collections.OrderedDict";
        case SCRIPT_LIST -> "torch.jit._pickle.build_*list";
        case SCRIPT_TYPE_TAG -> "torch.jit._pickle.restore_type_tag";
      };
    }
    if (o instanceof StateDictUnpickler.StorageType s) {
      return s.name();
    }
    if (o instanceof StateDictUnpickler.StorageRef) {
      return "a storage";
    }
    if (o instanceof StateDictUnpickler.TensorRef) {
      return "a tensor";
    }
    if (o instanceof StateDictUnpickler.Tuple t) {
      return "a tuple of " + t.items().size();
    }
    if (o instanceof StateDictUnpickler.ScriptObject s) {
      return "a " + s.className;
    }
    if (o instanceof Map<?, ?>) {
      return "a dict";
    }
    if (o instanceof List<?>) {
      return "a list";
    }
    if (o instanceof StateDictUnpickler.ScriptClass c) {
      return c.name();
    }
    if (o instanceof String s) {
      return "'" + printable(s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
    }
    return String.valueOf(o);
  }

  /** Keeps a hostile name on one line: control characters become \\xNN. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static final String[] NAMES = new String[256];

  static {
    Object[][] names = {{'i', "INST"}, {'o', "OBJ"}, {0x81, "NEWOBJ"}, {0x92, "NEWOBJ_EX"}, {0x82, "EXT1"},
        {0x83, "EXT2"}, {0x84, "EXT4"}, {'P', "PERSID"}, {'I', "INT"}, {'L', "LONG"}, {'S', "STRING"},
        {'V', "UNICODE"}, {'F', "FLOAT"}, {0x8b, "LONG4"}, {0x96, "BYTEARRAY8"}, {0x97, "NEXT_BUFFER"},
        {0x98, "READONLY_BUFFER"}, {0x90, "ADDITEMS"}, {0x8f, "EMPTY_SET"}, {0x91, "FROZENSET"},
        {0x8e, "BINBYTES8"}, {'l', "LIST"}, {'d', "DICT"}, {'g', "GET"}, {'p', "PUT"}, {'C', "SHORT_BINBYTES"},
        {'B', "BINBYTES"}, {'U', "SHORT_BINSTRING"}, {'T', "BINSTRING"}};
    for (Object[] n : names) {
      int code = n[0] instanceof Character ch ? ch : (Integer) n[0];
      NAMES[code] = (String) n[1];
    }
  }

  static String opName(int op) {
    String hex = String.format("0x%02x", op);
    return NAMES[op] != null ? NAMES[op] + " (" + hex + ")" : hex;
  }
}
