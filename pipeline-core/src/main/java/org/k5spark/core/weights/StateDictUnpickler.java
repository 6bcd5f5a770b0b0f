package org.k5spark.core.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interprets the {@code data.pkl} of a torch.save zip without executing anything: a pickle is a program for a
 * stack machine, and this machine knows only the opcodes that build a plain state_dict (strings, numbers,
 * tuples, lists, dicts, the memo) and only the globals {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter}, {@code collections.OrderedDict} and the {@code torch.*Storage} types.
 * A global is checked the moment it is named, so no other callable ever exists here; REDUCE applies only those
 * three, and BUILD only to an OrderedDict (its {@code _metadata}). This is torch.load(weights_only=True)'s
 * contract by construction. Anything else ends the read with one {@link Refused} naming the opcode or global.
 *
 * <p>The {@code data.pkl} of a TorchScript archive (torch.jit.save; OpenAI CLIP's .pt) pickles the module tree
 * instead: {@code __torch__.*} classes created by NEWOBJ with no arguments and given their attributes (submodules,
 * parameters, flags) by BUILD. With {@code scriptModules} those become {@link ScriptObject}s, plain attribute maps:
 * no class is looked up and no TorchScript code is read, let alone run.
 */
final class StateDictUnpickler {
  /** The reason and the byte position; the caller adds the file. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** A storage the pickle refers to by persistent id: {@code data/<key>} of the zip, {@code numel} elements. */
  record StorageRef(String key, Dtype dtype, long numel) {}

  /** A tensor view on a storage, as {@code _rebuild_tensor_v2} describes it (offset and strides in elements). */
  record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {}

  record Tuple(List<Object> items) {}

  /** A TorchScript module as data: its class name and the attributes BUILD gave it. */
  static final class ScriptObject extends LinkedHashMap<Object, Object> {
    final String className;

    ScriptObject(String className) {
      this.className = className;
    }
  }

  record ScriptClass(String name) {}

  /** The Python None (null is not allowed on the stack). */
  enum None { NONE }

  enum Global { REBUILD_TENSOR_V2, REBUILD_PARAMETER, ORDERED_DICT, SCRIPT_LIST, SCRIPT_TYPE_TAG }

  record StorageType(String name, Dtype dtype) {}

  private static final Object MARK = new Object();
  private static final int MAX_MEMO = 1 << 22;
  private static final int MAX_DEPTH = 1 << 22;
  private static final Map<String, Dtype> STORAGES = Map.ofEntries(
      Map.entry("FloatStorage", Dtype.F32), Map.entry("DoubleStorage", Dtype.F64),
      Map.entry("HalfStorage", Dtype.F16), Map.entry("BFloat16Storage", Dtype.BF16),
      Map.entry("LongStorage", Dtype.I64), Map.entry("IntStorage", Dtype.I32),
      Map.entry("ShortStorage", Dtype.I16), Map.entry("CharStorage", Dtype.I8),
      Map.entry("ByteStorage", Dtype.U8), Map.entry("BoolStorage", Dtype.BOOL));

  private final ByteBuffer in;
  private final String entry;
  private final boolean scriptModules;
  private final ArrayList<Object> stack = new ArrayList<>();
  private final ArrayList<Integer> marks = new ArrayList<>();
  private final Map<Long, Object> memo = new LinkedHashMap<>();
  private int opPos;

  private StateDictUnpickler(byte[] data, String entry, boolean scriptModules) {
    this.scriptModules = scriptModules;
    this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    this.entry = entry;
  }

  /**
   * @return the unpickled root: {@link Map} (dicts), {@link List}, {@link Tuple}, String, Long, Double, Boolean,
   *     {@link None}, {@link TensorRef}
   */
  static Object load(byte[] data, String entry, boolean scriptModules) {
    return new StateDictUnpickler(data, entry, scriptModules).run();
  }

  private Refused refuse(String what) {
    return new Refused("refused " + what + " at byte " + opPos + " of " + entry);
  }

  private Object run() {
    while (true) {
      if (!in.hasRemaining()) {
        opPos = in.position();
        throw refuse("end of pickle before STOP (truncated)");
      }
      opPos = in.position();
      int op = in.get() & 0xff;
      switch (op) {
        case 0x80 -> { // PROTO
          int v = u8();
          if (v < 2 || v > 5) {
            throw refuse("pickle protocol " + v);
          }
        }
        case 0x95 -> need(8, true); // FRAME: a length hint only
        case '.' -> { // STOP
          Object root = pop();
          if (!stack.isEmpty() || !marks.isEmpty()) {
            throw refuse("STOP with " + stack.size() + " value(s) left on the stack");
          }
          return root;
        }
        case '(' -> marks.add(stack.size());
        case '}' -> push(new LinkedHashMap<Object, Object>());
        case ']' -> push(new ArrayList<Object>());
        case ')' -> push(new Tuple(List.of()));
        case 't' -> push(new Tuple(List.copyOf(popMark())));
        case 0x85 -> push(new Tuple(List.of(pop())));
        case 0x86 -> {
          Object b = pop();
          push(new Tuple(List.of(pop(), b)));
        }
        case 0x87 -> {
          Object c = pop();
          Object b = pop();
          push(new Tuple(List.of(pop(), b, c)));
        }
        case 'N' -> push(None.NONE);
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'J' -> push((long) int32());
        case 'K' -> push((long) u8());
        case 'M' -> {
          need(2);
          push((long) (in.getShort() & 0xffff));
        }
        case 0x8a -> push(long1());
        case 'G' -> { // BINFLOAT is big-endian
          need(8);
          push(Double.longBitsToDouble(Long.reverseBytes(in.getLong())));
        }
        case 'X' -> push(utf8(uint32()));
        case 0x8c -> push(utf8(u8()));
        case 0x8d -> {
          need(8);
          push(utf8(length(in.getLong())));
        }
        case 'q' -> put(u8());
        case 'r' -> put(uint32());
        case 0x94 -> put(memo.size());
        case 'h' -> push(get(u8()));
        case 'j' -> push(get(uint32()));
        case 'c' -> push(global(line(), line()));
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw refuse("STACK_GLOBAL of non-string names");
          }
          push(global(m, n));
        }
        case 'Q' -> push(persistent(pop()));
        case 'R' -> {
          Object args = pop();
          push(reduce(pop(), args));
        }
        case 'b' -> build(pop(), peek());
        case 0x81 -> { // NEWOBJ: only a TorchScript module, and only as an empty attribute map
          Object args = pop();
          Object cls = pop();
          if (!(cls instanceof ScriptClass c) || !(args instanceof Tuple t) || !t.items().isEmpty()) {
            throw refuse("NEWOBJ of " + PickleText.describe(cls));
          }
          push(new ScriptObject(c.name()));
        }
        case 's' -> {
          Object v = pop();
          Object k = pop();
          setItem(peek(), k, v);
        }
        case 'u' -> {
          List<Object> kv = popMark();
          Object d = peek();
          if (kv.size() % 2 != 0) {
            throw refuse("SETITEMS with an odd number of values");
          }
          for (int i = 0; i < kv.size(); i += 2) {
            setItem(d, kv.get(i), kv.get(i + 1));
          }
        }
        case 'a' -> {
          Object v = pop();
          list(peek(), "APPEND").add(v);
        }
        case 'e' -> {
          List<Object> vs = popMark();
          list(peek(), "APPENDS").addAll(vs);
        }
        case '0' -> pop();
        case '1' -> popMark();
        case '2' -> push(peek());
        default -> throw refuse("opcode " + PickleText.opName(op));
      }
    }
  }

  private Object global(String module, String name) {
    String full = module + "." + name;
    switch (full) {
      case "torch._utils._rebuild_tensor_v2":
        return Global.REBUILD_TENSOR_V2;
      case "torch._utils._rebuild_parameter":
        return Global.REBUILD_PARAMETER;
      case "collections.OrderedDict":
        return Global.ORDERED_DICT;
      default:
        if (scriptModules && module.startsWith("__torch__.") && name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          return new ScriptClass(full);
        }
        // TorchScript's typed containers: build_intlist(list) is list, restore_type_tag(value, type) is value
        if (scriptModules && module.equals("torch.jit._pickle")) {
          if (name.matches("build_(int|double|bool|tensor)list")) {
            return Global.SCRIPT_LIST;
          }
          if (name.equals("restore_type_tag")) {
            return Global.SCRIPT_TYPE_TAG;
          }
        }
        Dtype d = module.equals("torch") ? STORAGES.get(name) : null;
        if (d != null) {
          return new StorageType(full, d);
        }
        throw refuse("global '" + PickleText.printable(full) + "'");
    }
  }

  private StorageRef persistent(Object pid) {
    // ('storage', torch.FloatStorage, key, location, numel) as torch.serialization's persistent_id writes it
    if (pid instanceof Tuple t && t.items().size() == 5 && "storage".equals(t.items().get(0))
        && t.items().get(1) instanceof StorageType type && t.items().get(2) instanceof String key
        && t.items().get(3) instanceof String && t.items().get(4) instanceof Long numel && numel >= 0) {
      if (key.isEmpty() || !key.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw refuse("storage key '" + PickleText.printable(key) + "' (expected a decimal record name)");
      }
      return new StorageRef(key, type.dtype(), numel);
    }
    throw refuse("persistent id " + PickleText.describe(pid) + " (expected ('storage', torch.*Storage, key, location, numel))");
  }

  private Object reduce(Object callable, Object args) {
    if (!(args instanceof Tuple t)) {
      throw refuse("REDUCE with " + PickleText.describe(args) + " as arguments");
    }
    List<Object> a = t.items();
    if (callable == Global.SCRIPT_LIST && a.size() == 1 && a.get(0) instanceof List<?>) {
      return a.get(0);
    }
    if (callable == Global.SCRIPT_TYPE_TAG && a.size() == 2 && a.get(1) instanceof String) {
      return a.get(0);
    }
    if (callable == Global.ORDERED_DICT && a.isEmpty()) {
      return new LinkedHashMap<Object, Object>();
    }
    if (callable == Global.REBUILD_TENSOR_V2 && (a.size() == 6 || a.size() == 7) && a.get(0) instanceof StorageRef s
        && a.get(1) instanceof Long offset && a.get(2) instanceof Tuple size && a.get(3) instanceof Tuple stride
        && a.get(4) instanceof Boolean && a.get(5) instanceof Map<?, ?> hooks && hooks.isEmpty()
        && (a.size() == 6 || a.get(6) instanceof Map<?, ?> || a.get(6) == None.NONE)) {
      long[] shape = longs(size, "size");
      long[] strides = longs(stride, "stride");
      if (shape.length != strides.length) {
        throw refuse("tensor with " + shape.length + " sizes but " + strides.length + " strides");
      }
      return new TensorRef(s, offset, shape, strides);
    }
    if (callable == Global.REBUILD_PARAMETER && a.size() == 3 && a.get(0) instanceof TensorRef tensor
        && a.get(1) instanceof Boolean && a.get(2) instanceof Map<?, ?> hooks && hooks.isEmpty()) {
      return tensor;
    }
    throw refuse("REDUCE of " + PickleText.describe(callable) + " on " + PickleText.describe(args));
  }

  @SuppressWarnings("unchecked")
  private void build(Object state, Object target) {
    if (target instanceof ScriptObject o && o.isEmpty() && state instanceof Map<?, ?> attrs) {
      for (var e : attrs.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw refuse("attribute name " + PickleText.describe(e.getKey()) + " of " + o.className);
        }
      }
      ((Map<Object, Object>) o).putAll(attrs);
      return;
    }
    // OrderedDict(state_dict) carries its _metadata (module versions) as instance state: dropped, nothing is set
    if (target instanceof Map<?, ?> && (state instanceof Map<?, ?> || state == None.NONE)) {
      return;
    }
    throw refuse("BUILD of " + PickleText.describe(target));
  }

  @SuppressWarnings("unchecked")
  private void setItem(Object d, Object k, Object v) {
    if (!(d instanceof Map<?, ?>)) {
      throw refuse("SETITEM on " + PickleText.describe(d));
    }
    if (!(k instanceof String || k instanceof Long || k instanceof Boolean)) {
      throw refuse("dict key " + PickleText.describe(k));
    }
    if (((Map<Object, Object>) d).putIfAbsent(k, v) != null) {
      throw refuse("duplicate key '" + PickleText.printable(String.valueOf(k)) + "'");
    }
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object o, String op) {
    if (!(o instanceof ArrayList<?>)) {
      throw refuse(op + " on " + PickleText.describe(o));
    }
    return (List<Object>) o;
  }

  private long[] longs(Tuple t, String what) {
    long[] out = new long[t.items().size()];
    for (int i = 0; i < out.length; i++) {
      if (!(t.items().get(i) instanceof Long v) || v < 0) {
        throw refuse("tensor " + what + " " + PickleText.describe(t));
      }
      out[i] = v;
    }
    return out;
  }

  private void push(Object o) {
    if (stack.size() >= MAX_DEPTH) {
      throw refuse("stack deeper than " + MAX_DEPTH);
    }
    stack.add(o);
  }

  private Object pop() {
    int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    if (stack.size() <= floor) {
      throw refuse("pop from an empty stack");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek() {
    if (stack.isEmpty()) {
      throw refuse("empty stack");
    }
    return stack.get(stack.size() - 1);
  }

  private List<Object> popMark() {
    if (marks.isEmpty()) {
      throw refuse("no MARK on the stack");
    }
    int at = marks.remove(marks.size() - 1);
    List<Object> items = new ArrayList<>(stack.subList(at, stack.size()));
    stack.subList(at, stack.size()).clear();
    return items;
  }

  private void put(long index) {
    if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) {
      throw refuse("memo larger than " + MAX_MEMO);
    }
    memo.put(index, peek());
  }

  private Object get(long index) {
    Object o = memo.get(index);
    if (o == null) {
      throw refuse("memo index " + index + " that was never stored");
    }
    return o;
  }

  private int u8() {
    need(1);
    return in.get() & 0xff;
  }

  private int int32() {
    need(4);
    return in.getInt();
  }

  private long uint32() {
    need(4);
    return in.getInt() & 0xffffffffL;
  }

  private int length(long n) {
    if (n < 0 || n > in.remaining()) {
      throw refuse("length " + Long.toUnsignedString(n) + " beyond the " + in.remaining() + " byte(s) left");
    }
    return (int) n;
  }

  private void need(int n) {
    need(n, false);
  }

  private void need(int n, boolean skip) {
    if (in.remaining() < n) {
      throw refuse("end of pickle inside an opcode (truncated)");
    }
    if (skip) {
      in.position(in.position() + n);
    }
  }

  private byte[] bytes(long n) {
    byte[] b = new byte[length(n)];
    in.get(b);
    return b;
  }

  private long long1() {
    int n = u8();
    if (n > 8) {
      throw refuse("integer of " + n + " bytes");
    }
    byte[] b = bytes(n);
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[i] & 0xff);
    }
    if (n > 0 && n < 8 && b[n - 1] < 0) {
      v -= 1L << (8 * n); // two's complement of the n bytes
    }
    return v;
  }

  private String utf8(long n) {
    byte[] b = bytes(n);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw refuse("string that is not UTF-8");
    }
  }

  private String line() {
    int start = in.position();
    int limit = Math.min(in.limit(), start + 256);
    for (int i = start; i < limit; i++) {
      if (in.get(i) == '\n') {
        byte[] b = new byte[i - start];
        in.get(b);
        in.get();
        return new String(b, StandardCharsets.ISO_8859_1);
      }
    }
    throw refuse("GLOBAL name without a newline in 256 bytes");
  }


}
