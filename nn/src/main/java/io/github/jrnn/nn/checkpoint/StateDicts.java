package io.github.jrnn.nn.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a state dict (name -> tensor, dtypes kept) from the files PyTorch users have, in pure Java and safely: the
 * format is recognised from the first bytes, never from the file name.
 * <ul>
 *   <li>{@link CheckpointFormat#TORCH_ZIP}: {@code torch.save(obj, "m.pt")} since PyTorch 1.6 ({@code .pt},
 *   {@code .pth}, {@code .bin}); starts with {@code PK\3\4}.</li>
 *   <li>{@link CheckpointFormat#TORCH_LEGACY}: {@code torch.save(..., _use_new_zipfile_serialization=False)} and
 *   PyTorch before 1.6; starts with a pickle ({@code 0x80}).</li>
 *   <li>{@link CheckpointFormat#SAFETENSORS}: an 8-byte header length then <code>'&#123;'</code>; read by
 *   {@link SafeTensors}.</li>
 * </ul>
 * Refused with a {@link CheckpointFormatException} saying what to do instead: TorchScript archives
 * ({@code torch.jit.save}), whole pickled modules ({@code torch.save(model)}), any pickle that names a global outside
 * the allow-list of {@link PickleGlobals} (such as {@code os.system}; refused where it appears, before any tensor is
 * built), compressed or encrypted zip entries, and the pre-0.4 tar format.
 *
 * <p>Untrusted input: every length, size, stride and offset is checked in 64-bit arithmetic against the bytes
 * actually present before anything is allocated from it ({@link ZipDirectory}, {@link RestrictedUnpickler},
 * {@link TensorLayout}); the storages must fit the JVM's maximum heap together and each one Java array. Problems
 * with the content are {@link CheckpointFormatException}s naming the file (and the tensor where one is concerned);
 * other {@link IOException}s are failures to read. No other exception or error escapes for any content.
 *
 * <pre>{@code
 * StateDict sd = StateDicts.read(Path.of("m.pt"));
 * Tensor w = sd.tensor("rnn.weight_ih_l0").toTensor();    // float32, whatever the stored float dtype
 * }</pre>
 *
 * <p>Thread safety: stateless; any number of threads may read at once.
 */
public final class StateDicts {
    private static final int SNIFF_BYTES = 262; // a tar header's "ustar" magic ends here

    private StateDicts() {
    }

    /**
     * Reads the checkpoint file at {@code file}.
     *
     * @param file a .pt, .pth, .bin or .safetensors file (the content decides, not the name)
     * @return the state dict
     * @throws CheckpointFormatException when the content is refused (see the class comment)
     * @throws NoSuchFileException       when the file does not exist
     * @throws IOException               when reading fails
     */
    public static StateDict read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new CheckpointFormatException(file, null, "not a regular file");
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            return read(ch, file, true);
        }
    }

    /**
     * Reads a checkpoint held in memory (e.g. a resource or an object fetched from a store); {@code name} is used in
     * messages. The array is not copied and must not change during the call.
     *
     * @param bytes the whole file's content
     * @param name what to call the content in messages (e.g. an object-store key)
     * @return the state dict
     * @throws CheckpointFormatException when the content is refused
     */
    public static StateDict read(byte[] bytes, String name) throws IOException {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes must not be null");
        }
        return read(InMemoryChannel.of(bytes), label(name), false);
    }

    /**
     * Reads a checkpoint from {@code in} to its end (the stream is not closed); {@code name} is used in messages.
     * The stream is held in memory while it is read, in chunks as it arrives; one longer than half the JVM's maximum
     * heap is refused as soon as that many bytes have arrived (read it from a file instead).
     *
     * @param in the file's content, read to its end (not closed)
     * @param name what to call the content in messages
     * @return the state dict
     * @throws CheckpointFormatException when the content is refused or the stream is too long
     * @throws IOException               when reading the stream fails
     */
    public static StateDict read(InputStream in, String name) throws IOException {
        if (in == null) {
            throw new IllegalArgumentException("the input stream must not be null");
        }
        Path label = label(name);
        return read(InMemoryChannel.readAll(in, label, Runtime.getRuntime().maxMemory() / 2), label, false);
    }

    /** The format of the content's first bytes, or null when it is none that jrnn reads. */
    static CheckpointFormat sniff(byte[] head, int length) {
        if (length >= 9 && head[8] == '{' && head[7] == 0 && head[6] == 0) {
            return CheckpointFormat.SAFETENSORS; // 8-byte length below 2^48, then the JSON object
        }
        if (length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 && head[3] == 4
                || head[2] == 5 && head[3] == 6)) {
            return CheckpointFormat.TORCH_ZIP;
        }
        if (length >= 2 && (head[0] & 0xFF) == 0x80 && head[1] >= 2 && head[1] <= RestrictedUnpickler.MAX_PROTOCOL) {
            return CheckpointFormat.TORCH_LEGACY;
        }
        return null;
    }

    private static StateDict read(SeekableByteChannel ch, Path file, boolean isFile) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(SNIFF_BYTES, ch.size()));
        ch.position(0);
        while (head.hasRemaining() && ch.read(head) >= 0) {
            // fill the sniffing window
        }
        CheckpointFormat format = sniff(head.array(), head.position());
        if (format == null) {
            throw unknown(file, head.array(), head.position());
        }
        return switch (format) {
            case TORCH_ZIP -> TorchZipReader.read(ch, file);
            case TORCH_LEGACY -> TorchLegacyReader.read(ch, file);
            case SAFETENSORS -> safeTensors(isFile ? SafeTensors.open(file)
                    : SafeTensors.open(file, new SafeTensorsData(file, ch)), file);
        };
    }

    private static CheckpointFormatException unknown(Path file, byte[] head, int length) {
        if (length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            return new CheckpointFormatException(file, null, "a tar archive: torch.save's format before PyTorch"
                    + " 0.4, which jrnn does not read; load it with that torch and save it again with a current"
                    + " torch.save");
        }
        return new CheckpointFormatException(file, null, "not a torch.save file (zip or legacy) nor a safetensors"
                + " file: it starts with " + (length == 0 ? "nothing (empty)" : "bytes "
                + HexFormat.ofDelimiter(" ").formatHex(head, 0, Math.min(length, 16))));
    }

    /** Every tensor of a safetensors file with its stored bytes: one storage per tensor, named after it. */
    private static StateDict safeTensors(SafeTensorsFile f, Path file) throws IOException {
        try (f) {
            long total = 0;
            for (SafeTensorsEntry e : f.entries()) {
                total += e.numel() * e.dtype().byteSize(); // checked by the header parser not to overflow
            }
            long heap = Runtime.getRuntime().maxMemory();
            if (total > heap) {
                throw new CheckpointFormatException(file, null, "the " + f.entries().size() + " tensors need "
                        + total + " bytes, more than the JVM's maximum heap of " + heap + " bytes (-Xmx)");
            }
            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            for (SafeTensorsEntry e : f.entries()) {
                int[] shape = e.shape();
                long[] strides = new long[shape.length];
                long stride = 1;
                for (int d = shape.length - 1; d >= 0; d--) {
                    strides[d] = stride;
                    stride *= shape[d];
                }
                TensorStorage storage = new TensorStorage(e.name(), e.dtype(), e.storedBytes());
                StoredTensor t = new StoredTensor(file, e.name(), storage, 0, shape, strides, e.numel());
                PickledStateDict.checkBool(file, t);
                tensors.put(e.name(), t);
            }
            return new StateDict(file, CheckpointFormat.SAFETENSORS, tensors, f.metadata(), Map.of());
        }
    }

    private static Path label(String name) {
        if (name == null || name.isEmpty()) {
            return Path.of("<stream>");
        }
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            return Path.of("<stream>");
        }
    }
}
