package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.checkpoint.PickleValues.PyDict;
import io.github.jrnn.nn.checkpoint.PickleValues.PyList;
import io.github.jrnn.nn.checkpoint.PickleValues.PyTuple;
import io.github.jrnn.nn.checkpoint.PickleValues.StorageRef;
import io.github.jrnn.nn.checkpoint.PickleValues.StorageType;
import io.github.jrnn.nn.checkpoint.PickleValues.TorchCallable;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A pickle reader written from the pickle format (protocols 2 to 5, as {@code pickletools} documents it) that
 * implements only the opcodes a tensor state dict uses and never runs, loads or instantiates anything named by the
 * data. Values are built from a fixed set of types ({@link PickleValues}); globals resolve against the allow-list of
 * {@link PickleGlobals} and are refused where they appear; REDUCE applies only the hand-written
 * {@link TorchCalls}; persistent ids must be storage references
 * {@code ('storage', torch.<T>Storage, key, location, numel)} (a sixth item, None, in the legacy format).
 *
 * <p>Bounded: strings of at most {@value #MAX_STRING_BYTES} bytes, ints of at most {@value #MAX_LONG_BYTES} bytes,
 * at most {@value #MAX_MARKS} MARKs open at once, {@value #MAX_STACK} items on the stack and {@value #MAX_MEMO} memo
 * entries; every length is checked against the bytes left before anything is allocated. The machine is a loop
 * over opcodes without recursion, so no input can exhaust the Java stack.
 *
 * <p>Opcodes: PROTO FRAME STOP MARK POP POP_MARK DUP NONE NEWTRUE NEWFALSE BININT BININT1 BININT2 LONG1 LONG4
 * BINFLOAT BINUNICODE SHORT_BINUNICODE BINUNICODE8 EMPTY_TUPLE TUPLE TUPLE1 TUPLE2 TUPLE3 EMPTY_LIST APPEND APPENDS
 * EMPTY_DICT SETITEM SETITEMS BINPUT LONG_BINPUT MEMOIZE BINGET LONG_BINGET GLOBAL STACK_GLOBAL REDUCE BUILD
 * BINPERSID. Every other opcode (INST, OBJ, NEWOBJ, EXT*, text opcodes, bytes, sets, out-of-band buffers) is
 * refused by name.
 *
 * <p>Thread safety: one instance reads one stream in one thread.
 */
final class RestrictedUnpickler {
    static final int MAX_PROTOCOL = 5;
    static final long MAX_STRING_BYTES = 1 << 24;
    static final int MAX_LONG_BYTES = 256;
    static final int MAX_MARKS = 100;
    static final int MAX_STACK = 1 << 20;
    static final int MAX_MEMO = 1 << 20;
    private static final int MAX_GLOBAL_NAME_BYTES = 256;
    private static final Pattern STORAGE_KEY = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private final ChannelInput in;
    private final Path file;
    private final String what;
    private final boolean legacyIds;
    private final Map<String, StorageRef> storages; // shared by the pickles of one file
    private final List<Object> stack = new ArrayList<>();
    private final int[] marks = new int[MAX_MARKS];
    private int markCount;
    private final Map<Long, Object> memo = new HashMap<>();

    /**
     * @param what      names the pickle in messages (e.g. {@code data.pkl})
     * @param legacyIds true for the legacy format, whose storage ids carry a sixth item (view metadata, None)
     * @param storages  the storages named so far, by key; the persistent ids read add to it
     */
    RestrictedUnpickler(ChannelInput in, String what, boolean legacyIds, Map<String, StorageRef> storages) {
        this.in = in;
        this.file = in.file();
        this.what = what;
        this.legacyIds = legacyIds;
        this.storages = storages;
    }

    /** A fresh map to collect the storages of a file in order of first reference. */
    static Map<String, StorageRef> newStorageMap() {
        return new LinkedHashMap<>();
    }

    /** Reads one pickle up to its STOP and returns the object it builds. */
    Object load() throws IOException {
        while (true) {
            long at = in.position();
            int op = in.readUnsigned();
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = in.readUnsigned();
                    if (protocol > MAX_PROTOCOL) {
                        throw fail(at, "pickle protocol " + protocol + " is not supported (jrnn reads protocols 2"
                                + " to " + MAX_PROTOCOL + ")");
                    }
                }
                case 0x95 -> { // FRAME: a length hint for buffering; the bytes that follow are read as usual
                    long length = in.readLittleEndian(8);
                    if (length < 0 || length > in.remaining()) {
                        throw fail(at, "FRAME of " + Long.toUnsignedString(length) + " bytes, but only "
                                + in.remaining() + " bytes remain");
                    }
                }
                case '.' -> { // STOP
                    if (stack.size() != 1 || markCount != 0) {
                        throw fail(at, "STOP with " + stack.size() + " items on the stack and " + markCount
                                + " MARKs open (expected one item and none)");
                    }
                    return stack.getFirst();
                }
                case '(' -> {
                    if (markCount == MAX_MARKS) {
                        throw fail(at, "more than " + MAX_MARKS + " MARKs open (nested too deeply)");
                    }
                    marks[markCount++] = stack.size();
                }
                case '0' -> pop(at, "POP");
                case '1' -> popMark(at, "POP_MARK");
                case '2' -> {
                    need(at, "DUP", 1);
                    push(at, stack.getLast());
                }
                case 'N' -> push(at, null);
                case 0x88 -> push(at, Boolean.TRUE);
                case 0x89 -> push(at, Boolean.FALSE);
                case 'J' -> push(at, (long) (int) in.readLittleEndian(4));
                case 'K' -> push(at, (long) in.readUnsigned());
                case 'M' -> push(at, in.readLittleEndian(2));
                case 0x8a -> push(at, readLong(in.readUnsigned(), "LONG1"));
                case 0x8b -> push(at, readLong(in.readLittleEndian(4), "LONG4"));
                case 'G' -> push(at, Double.longBitsToDouble(Long.reverseBytes(in.readLittleEndian(8))));
                case 'X' -> push(at, readString(at, in.readLittleEndian(4)));
                case 0x8c -> push(at, readString(at, in.readUnsigned()));
                case 0x8d -> push(at, readString(at, in.readLittleEndian(8)));
                case ')' -> push(at, new PyTuple(List.of()));
                case 't' -> push(at, new PyTuple(popMark(at, "TUPLE")));
                case 0x85, 0x86, 0x87 -> {
                    int n = op - 0x84;
                    need(at, "TUPLE" + n, n);
                    List<Object> top = stack.subList(stack.size() - n, stack.size());
                    PyTuple t = new PyTuple(top);
                    top.clear();
                    push(at, t);
                }
                case ']' -> push(at, new PyList());
                case 'a' -> {
                    Object item = pop(at, "APPEND");
                    list(at, "APPEND").items.add(item);
                }
                case 'e' -> {
                    List<Object> items = popMark(at, "APPENDS");
                    list(at, "APPENDS").items.addAll(items);
                }
                case '}' -> push(at, new PyDict(false));
                case 's' -> {
                    need(at, "SETITEM", 3);
                    Object value = pop(at, "SETITEM");
                    Object key = pop(at, "SETITEM");
                    put(at, dict(at, "SETITEM"), key, value);
                }
                case 'u' -> {
                    List<Object> items = popMark(at, "SETITEMS");
                    if (items.size() % 2 != 0) {
                        throw fail(at, "SETITEMS got an odd number of items (" + items.size() + ")");
                    }
                    PyDict d = dict(at, "SETITEMS");
                    for (int i = 0; i < items.size(); i += 2) {
                        put(at, d, items.get(i), items.get(i + 1));
                    }
                }
                case 'q' -> memoPut(at, in.readUnsigned());
                case 'r' -> memoPut(at, in.readLittleEndian(4));
                case 0x94 -> memoPut(at, memo.size());
                case 'h' -> memoGet(at, in.readUnsigned());
                case 'j' -> memoGet(at, in.readLittleEndian(4));
                case 'c' -> {
                    String module = readLine(at);
                    String name = readLine(at);
                    push(at, PickleGlobals.resolve(file, what, module, name));
                }
                case 0x93 -> {
                    need(at, "STACK_GLOBAL", 2);
                    Object name = pop(at, "STACK_GLOBAL");
                    Object module = pop(at, "STACK_GLOBAL");
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail(at, "STACK_GLOBAL needs two strings, got " + PickleValues.typeName(module) + " and "
                                + PickleValues.typeName(name));
                    }
                    push(at, PickleGlobals.resolve(file, what, m, n));
                }
                case 'R' -> reduce(at);
                case 'b' -> build(at);
                case 'Q' -> push(at, persistentLoad(at, pop(at, "BINPERSID")));
                default -> throw fail(at, "unsupported " + PickleOpcodes.describe(op) + ": jrnn reads only the"
                        + " opcodes a tensor state dict uses");
            }
        }
    }

    private void reduce(long at) throws CheckpointFormatException {
        need(at, "REDUCE", 2);
        Object args = pop(at, "REDUCE");
        Object callable = pop(at, "REDUCE");
        if (callable instanceof StorageType s) {
            throw fail(at, s.qualifiedName() + " may only appear in a storage persistent id, not be called");
        }
        if (!(callable instanceof TorchCallable c)) {
            throw fail(at, "REDUCE needs an allowed callable, got " + PickleValues.typeName(callable));
        }
        if (!(args instanceof PyTuple t)) {
            throw fail(at, "REDUCE needs a tuple of arguments, got " + PickleValues.typeName(args));
        }
        push(at, TorchCalls.call(file, what, c, t));
    }

    /** BUILD sets attributes: only an OrderedDict's (a state dict's {@code _metadata}), from a dict of str keys. */
    private void build(long at) throws CheckpointFormatException {
        need(at, "BUILD", 2);
        Object state = pop(at, "BUILD");
        Object target = stack.getLast();
        if (!(target instanceof PyDict d) || !d.ordered) {
            throw fail(at, "BUILD on a " + PickleValues.typeName(target) + ": only an OrderedDict's attributes"
                    + " (a state dict's _metadata) may be set");
        }
        if (!(state instanceof PyDict s)) {
            throw fail(at, "BUILD state must be a dict, got " + PickleValues.typeName(state));
        }
        for (Map.Entry<Object, Object> e : s.items.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw fail(at, "BUILD attribute names must be strings, got " + PickleValues.typeName(e.getKey()));
            }
            d.attributes.put(e.getKey(), e.getValue());
        }
    }

    private StorageRef persistentLoad(long at, Object pid) throws CheckpointFormatException {
        int n = legacyIds ? 6 : 5;
        if (!(pid instanceof PyTuple t) || t.items.size() != n || !"storage".equals(t.items.get(0))
                || !(t.items.get(1) instanceof StorageType type) || !(t.items.get(2) instanceof String key)
                || !(t.items.get(3) instanceof String location) || !(t.items.get(4) instanceof Long numel)) {
            throw fail(at, "a persistent id must be ('storage', storage type, key, location, numel"
                    + (legacyIds ? ", view metadata" : "") + "), got " + describe(pid));
        }
        if (legacyIds && t.items.get(5) != null) {
            throw fail(at, "storage views (view metadata " + describe(t.items.get(5)) + ") come from PyTorch"
                    + " before 0.4 and are not supported; re-save the file with a current torch.save");
        }
        if (!STORAGE_KEY.matcher(key).matches()) {
            throw fail(at, "storage key '" + shorten(key) + "' must be 1 to 64 letters, digits or underscores");
        }
        DType dtype = type.dtype();
        if (numel < 0 || numel > SafeTensors.MAX_TENSOR_ELEMENTS / dtype.byteSize()) {
            throw fail(at, "storage '" + key + "' declares " + numel + " " + dtype + " elements; a storage holds 0"
                    + " to " + SafeTensors.MAX_TENSOR_ELEMENTS / dtype.byteSize() + " (one Java array of bytes)");
        }
        StorageRef ref = new StorageRef(key, dtype, location, numel);
        StorageRef seen = storages.putIfAbsent(key, ref);
        if (seen == null) {
            return ref;
        }
        if (seen.dtype() != dtype || seen.numel() != numel) {
            throw fail(at, "storage '" + key + "' is " + seen.dtype() + " with " + seen.numel() + " elements in one"
                    + " place and " + dtype + " with " + numel + " in another");
        }
        return seen;
    }

    private void put(long at, PyDict d, Object key, Object value) throws CheckpointFormatException {
        if (!(key instanceof String) && !(key instanceof Long)) {
            throw fail(at, "a dict key must be a string or an integer, got " + PickleValues.typeName(key));
        }
        d.items.put(key, value);
    }

    /** A two's-complement little-endian int of {@code n} bytes: a Long when it fits, else a BigInteger. */
    private Object readLong(long n, String op) throws IOException {
        byte[] le = in.readBytes(n, MAX_LONG_BYTES, op);
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[le.length - 1 - i] = le[i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < Long.SIZE ? (Object) v.longValue() : v;
    }

    private String readString(long at, long length) throws IOException {
        byte[] utf8 = in.readBytes(length, MAX_STRING_BYTES, "string");
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw fail(at, "string of " + length + " bytes is not valid UTF-8");
        }
    }

    /** A GLOBAL operand: printable ASCII up to a newline, at most {@value #MAX_GLOBAL_NAME_BYTES} bytes. */
    private String readLine(long at) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.readUnsigned();
            if (b == '\n') {
                return line.toString();
            }
            if (b < 0x20 || b > 0x7e || line.length() == MAX_GLOBAL_NAME_BYTES) {
                throw fail(at, "GLOBAL name is not a line of at most " + MAX_GLOBAL_NAME_BYTES + " printable ASCII"
                        + " characters");
            }
            line.append((char) b);
        }
    }

    private void memoPut(long at, long index) throws CheckpointFormatException {
        need(at, "PUT", 1);
        if (memo.size() == MAX_MEMO && !memo.containsKey(index)) {
            throw fail(at, "the memo holds more than " + MAX_MEMO + " entries");
        }
        memo.put(index, stack.getLast());
    }

    private void memoGet(long at, long index) throws CheckpointFormatException {
        if (!memo.containsKey(index)) {
            throw fail(at, "memo index " + index + " was never set");
        }
        push(at, memo.get(index));
    }

    private void push(long at, Object value) throws CheckpointFormatException {
        if (stack.size() == MAX_STACK) {
            throw fail(at, "more than " + MAX_STACK + " items on the stack");
        }
        stack.add(value);
    }

    /** Items above the innermost MARK (the whole stack when none is open). */
    private int available() {
        return stack.size() - (markCount == 0 ? 0 : marks[markCount - 1]);
    }

    private void need(long at, String op, int n) throws CheckpointFormatException {
        if (available() < n) {
            throw fail(at, op + " needs " + n + " items on the stack, it has " + available());
        }
    }

    private Object pop(long at, String op) throws CheckpointFormatException {
        need(at, op, 1);
        return stack.removeLast();
    }

    /** The items above the innermost MARK, removed with the MARK. */
    private List<Object> popMark(long at, String op) throws CheckpointFormatException {
        if (markCount == 0) {
            throw fail(at, op + " without a MARK");
        }
        int from = marks[--markCount];
        List<Object> top = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private PyList list(long at, String op) throws CheckpointFormatException {
        need(at, op, 1);
        if (!(stack.getLast() instanceof PyList l)) {
            throw fail(at, op + " to a " + PickleValues.typeName(stack.getLast()) + ", expected a list");
        }
        return l;
    }

    private PyDict dict(long at, String op) throws CheckpointFormatException {
        need(at, op, 1);
        if (!(stack.getLast() instanceof PyDict d)) {
            throw fail(at, op + " to a " + PickleValues.typeName(stack.getLast()) + ", expected a dict");
        }
        return d;
    }

    private static String describe(Object v) {
        if (v instanceof PyTuple t) {
            List<String> parts = new ArrayList<>();
            for (Object item : t.items) {
                parts.add(item instanceof String s ? "'" + shorten(s) + "'" : PickleValues.typeName(item));
            }
            return "(" + String.join(", ", parts) + ")";
        }
        return PickleValues.typeName(v);
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    private CheckpointFormatException fail(long at, String problem) {
        return new CheckpointFormatException(file, null, what + ": " + problem + " (at byte " + at + ")");
    }
}
