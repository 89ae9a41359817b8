package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.checkpoint.PickleValues.PyDict;
import io.github.jrnn.nn.checkpoint.PickleValues.PyList;
import io.github.jrnn.nn.checkpoint.PickleValues.StorageRef;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the legacy format ({@code torch.save(..., _use_new_zipfile_serialization=False)}, and every
 * {@code torch.save} before PyTorch 1.6): five pickles back to back, read by {@link RestrictedUnpickler}:
 * <pre>
 *   magic number 0x1950a86a20f9469cfc6c, protocol version 1001, system info (a dict),
 *   the object (storages as persistent ids ('storage', type, key, location, numel, None)),
 *   the storage keys (a list of str)
 * </pre>
 * then, for each key in that order, the storage's element count (8 bytes, little-endian) and its elements
 * (little-endian). The keys must be exactly the storages the object names, and each stored count the one its
 * persistent id declares; nothing may follow the last storage.
 */
final class TorchLegacyReader {
    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;
    private static final String WHAT = "legacy torch.save file";

    private TorchLegacyReader() {
    }

    static StateDict read(SeekableByteChannel ch, Path file) throws IOException {
        ChannelInput in = new ChannelInput(ch, file, WHAT, 0, ch.size());
        Map<String, StorageRef> named = RestrictedUnpickler.newStorageMap();
        Object magic = next(in, named);
        if (!MAGIC.equals(magic)) {
            throw new CheckpointFormatException(file, null, "a pickle that does not start with torch's legacy magic"
                    + " number (it starts with " + (magic instanceof Long || magic instanceof BigInteger ? "the int "
                    + magic : article(PickleValues.typeName(magic))) + "); not a torch.save file");
        }
        Object protocol = next(in, named);
        if (!Long.valueOf(PROTOCOL_VERSION).equals(protocol)) {
            throw new CheckpointFormatException(file, null, WHAT + ": protocol version " + protocol + " is not "
                    + PROTOCOL_VERSION + ", the only one PyTorch writes");
        }
        if (!(next(in, named) instanceof PyDict)) {
            throw new CheckpointFormatException(file, null, WHAT + ": the system info after the protocol version"
                    + " is not a dict");
        }
        Object object = new RestrictedUnpickler(in, WHAT, true, named).load();
        PickledStateDict.Flat flat = PickledStateDict.flatten(file, WHAT, object);
        List<String> keys = keys(file, next(in, named), named);
        long total = 0;
        for (StorageRef s : named.values()) {
            total += s.numel() * s.dtype().byteSize(); // each below 2^31, at most 2^20 of them: no overflow
        }
        if (total > in.remaining() - 8L * keys.size()) {
            throw new CheckpointFormatException(file, null, WHAT + ": the storages need " + total + " bytes, but"
                    + " only " + in.remaining() + " bytes remain (truncated?)");
        }
        Set<String> used = new HashSet<>();
        flat.tensors().values().forEach(t -> used.add(t.storage().key()));
        Map<String, byte[]> bytes = new HashMap<>();
        for (String key : keys) {
            StorageRef s = named.get(key);
            long stored = in.readLittleEndian(8);
            if (stored != s.numel()) {
                throw new CheckpointFormatException(file, null, WHAT + ": storage '" + key + "' is stored with "
                        + stored + " elements, its persistent id says " + s.numel());
            }
            // Storages no tensor uses are skipped rather than kept.
            byte[] data = in.readBytes(s.numel() * s.dtype().byteSize(), SafeTensors.MAX_TENSOR_ELEMENTS,
                    "storage '" + key + "'");
            if (used.contains(key)) {
                bytes.put(key, data);
            }
        }
        if (in.remaining() != 0) {
            throw new CheckpointFormatException(file, null, WHAT + ": " + in.remaining() + " bytes after the last"
                    + " storage");
        }
        return PickledStateDict.assemble(file, CheckpointFormat.TORCH_LEGACY, flat, s -> bytes.get(s.key()));
    }

    private static Object next(ChannelInput in, Map<String, StorageRef> named) throws IOException {
        return new RestrictedUnpickler(in, WHAT, true, named).load();
    }

    private static List<String> keys(Path file, Object list, Map<String, StorageRef> named)
            throws CheckpointFormatException {
        List<String> keys = new ArrayList<>();
        if (list instanceof PyList l) {
            for (Object k : l.items) {
                if (k instanceof String s) {
                    keys.add(s);
                }
            }
        }
        if (!(list instanceof PyList l) || keys.size() != l.items.size() || keys.size() != named.size()
                || !new HashSet<>(keys).equals(named.keySet())) {
            throw new CheckpointFormatException(file, null, WHAT + ": the storage keys " + (list instanceof PyList
                    ? quoted(keys) : PickleValues.typeName(list)) + " after the object differ from the storages it"
                    + " names " + quoted(named.keySet()));
        }
        return keys;
    }

    /** Python's rendering of a list of str, e.g. {@code ['140', '141']}, the first 20 of a longer one. */
    private static String quoted(Collection<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (out.size() == 20) {
                out.add("... " + (keys.size() - 20) + " more");
                break;
            }
            out.add("'" + k + "'");
        }
        return out.toString();
    }

    private static String article(String type) {
        return ("aeiouAEIOU".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }
}
