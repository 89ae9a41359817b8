package io.github.jrnn.nn.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that cannot be used: malformed or truncated safetensors data, an impossible header, a tensor
 * missing or of the wrong dtype or shape for what reads it.
 *
 * <p>The message always names the file, the tensor when one is concerned, and the problem with the expected and the
 * given value, e.g. {@code model.safetensors: tensor 'weight_ih_l0': data_offsets [0, 40] hold 40 bytes, but F32
 * shape [3, 4] needs 48}. It is the one checked exception the checkpoint readers throw for bad content; other
 * {@link IOException}s mean the file system failed (file not found, permission denied, disk error).
 *
 * <p>Thread safety: immutable.
 */
public final class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** The tensor concerned, or null when the problem is about the file as a whole. */
    private final String tensor;
    /** What is wrong, without the file and tensor prefix. */
    private final String problem;

    /**
     * A problem with {@code file}, or with one of its tensors.
     *
     * @param file    the file concerned
     * @param tensor  the tensor concerned, or null when the problem is about the file as a whole
     * @param problem what is wrong, with the expected and the given value
     */
    public CheckpointFormatException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    /**
     * Same as {@link #CheckpointFormatException(Path, String, String)} with the low-level cause attached.
     *
     * @param file the file concerned
     * @param tensor the tensor concerned, or null
     * @param problem what is wrong, with the expected and the given value
     * @param cause the low-level failure
     */
    public CheckpointFormatException(Path file, String tensor, String problem, Throwable cause) {
        super(format(file, tensor, problem), cause);
        this.file = file;
        this.tensor = tensor;
        this.problem = problem;
    }

    private static String format(Path file, String tensor, String problem) {
        String where = file == null ? "<unnamed checkpoint>" : file.toString();
        return tensor == null ? where + ": " + problem : where + ": tensor '" + tensor + "': " + problem;
    }

    /**
     * The file concerned (may be null when the exception was deserialized).
     *
     * @return the file, or null
     */
    public Path file() {
        return file;
    }

    /**
     * The tensor concerned, or null when the problem is about the file as a whole.
     *
     * @return the tensor's name, or null
     */
    public String tensor() {
        return tensor;
    }

    /**
     * The problem alone, without the file and tensor prefix.
     *
     * @return the problem
     */
    public String problem() {
        return problem;
    }
}
