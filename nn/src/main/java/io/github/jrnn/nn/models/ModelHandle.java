package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StateDicts;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Parameter;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A small serialisable reference to a checkpointed model: what a distributed engine (Flink, Spark, Kafka Streams)
 * ships to its workers instead of the module, which is not serialisable. It holds either a file path (for a file
 * every worker can read: a shared volume, or one the engine distributes with the job) or the checkpoint's bytes,
 * plus the SHA-256 of the content and how to build the module (a jrnn kind, or a factory for a class of the user's
 * own).
 *
 * <pre>{@code
 * ModelHandle<GRU> handle = ModelHandle.of(Path.of("/models/gru.safetensors"), GRU.class); // on the driver
 * // ... the handle travels inside the job's functions ...
 * GRU gru = handle.get();                                   // on a worker: loaded once per JVM, then shared
 * }</pre>
 *
 * <p>The module {@link #get()} returns is built once per JVM (per class loader) and content, and shared by every
 * task in it, since inference on a module is thread-safe: it is in {@code eval()} mode and its parameters do not
 * require gradients, so a forward records no graph. Never train it or load another state into it: every task in
 * the JVM sees the change. The content is checked against the checksum when a JVM first loads it, so a file that
 * changed on one machine, or bytes damaged in transit, are refused rather than silently scored with.
 *
 * <p>The handles made by the factories here load the model once when they are made, so a wrong file or kind fails on
 * the driver, before the job starts. Thread safety: immutable; {@link #get()} may be called from many threads at
 * once (one of them loads, the others wait for it).
 *
 * @param <M> the module class
 */
public final class ModelHandle<M extends Module> implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The models loaded in this JVM, by checksum and how they are built. */
    private static final ConcurrentMap<Key, Slot> LOADED = new ConcurrentHashMap<>();

    private final Class<M> type;
    /** Builds an instance of a class of the user's own; null for jrnn's kinds, which the metadata describes. */
    private final Factory<M> factory;
    /** The file every worker reads, or null when the content travels in {@link #bytes}. */
    private final String path;
    private final byte[] bytes;
    private final String sha256;

    /**
     * Makes an empty instance of a model class of the user's own; serialisable, so it travels with the handle
     * (a lambda or method reference assigned to this type is serialisable: {@code CharModel::new}).
     *
     * @param <M> the module class
     */
    @FunctionalInterface
    public interface Factory<M extends Module> extends Serializable {
        /**
         * Builds the empty model the checkpoint is loaded into.
         *
         * @return a new model with the checkpoint's module tree
         */
        M create();
    }

    private ModelHandle(Class<M> type, Factory<M> factory, String path, byte[] bytes, String sha256) {
        this.type = type;
        this.factory = factory;
        this.path = path;
        this.bytes = bytes;
        this.sha256 = sha256;
    }

    /**
     * A handle to the checkpoint file at {@code file}, whose module must be a {@code type} (a jrnn kind: see
     * {@link ModuleCheckpoints}); the file is read and the model loaded now, so mistakes show here.
     *
     * @param file a checkpoint written by {@link ModuleCheckpoints#save} or {@code tools/export_torch.py}, at a
     *             path every worker can read
     * @param type the module class, e.g. {@code GRU.class}
     * @param <M>  that class
     * @return the handle
     * @throws CheckpointFormatException when the file is malformed or holds another kind of module
     * @throws IOException               when the file cannot be read
     */
    public static <M extends Module> ModelHandle<M> of(Path file, Class<M> type) throws IOException {
        requireNonNull(type, "type", "the module class, e.g. GRU.class");
        return ofFile(file, type, null);
    }

    /**
     * A handle to the checkpoint file at {@code file} holding a model of a class of the user's own, built by
     * {@code factory} and loaded with {@link ModuleCheckpoints#loadInto(StateDict, Module)}.
     *
     * @param file    the checkpoint, at a path every worker can read
     * @param factory builds the empty model, e.g. {@code CharModel::new}
     * @param <M>     the model class
     * @return the handle
     * @throws CheckpointFormatException when the file is malformed or its tree is not the factory's model's
     * @throws IOException               when the file cannot be read
     */
    public static <M extends Module> ModelHandle<M> of(Path file, Factory<M> factory) throws IOException {
        requireNonNull(factory, "factory", "a serialisable supplier of the empty model, e.g. CharModel::new");
        return ofFile(file, null, factory);
    }

    /**
     * A handle carrying the checkpoint's bytes (e.g. a resource, or an object fetched from a store); the bytes are
     * copied, and travel with every serialised copy of the handle.
     *
     * @param checkpoint the checkpoint file's content
     * @param type       the module class
     * @param <M>        that class
     * @return the handle
     * @throws CheckpointFormatException when the content is malformed or holds another kind of module
     */
    public static <M extends Module> ModelHandle<M> of(byte[] checkpoint, Class<M> type)
            throws CheckpointFormatException {
        requireNonNull(type, "type", "the module class, e.g. GRU.class");
        return ofBytes(checkpoint, type, null);
    }

    /**
     * As {@link #of(byte[], Class)} for a model of a class of the user's own, built by {@code factory}.
     *
     * @param checkpoint the checkpoint file's content
     * @param factory    builds the empty model, e.g. {@code CharModel::new}
     * @param <M>        the model class
     * @return the handle
     * @throws CheckpointFormatException when the content is malformed or its tree is not the factory's model's
     */
    public static <M extends Module> ModelHandle<M> of(byte[] checkpoint, Factory<M> factory)
            throws CheckpointFormatException {
        requireNonNull(factory, "factory", "a serialisable supplier of the empty model, e.g. CharModel::new");
        return ofBytes(checkpoint, null, factory);
    }

    /**
     * A handle carrying a snapshot of {@code module}'s current state ({@link ModuleCheckpoints#toBytes}), e.g. a
     * model just trained on the driver. Later changes to {@code module} do not reach the handle.
     *
     * @param module a module made of jrnn's kinds (for a class of the user's own, use
     *               {@link #of(byte[], Factory)} with {@code ModuleCheckpoints.toBytes(model)})
     * @param type   the module class the workers get
     * @param <M>    that class
     * @return the handle
     * @throws IOException when the module's checkpoint is larger than 2 GiB, or is not a {@code type}
     */
    public static <M extends Module> ModelHandle<M> of(Module module, Class<M> type) throws IOException {
        requireNonNull(module, "module", "the model to snapshot");
        requireNonNull(type, "type", "the module class, e.g. GRU.class");
        return ofBytes(ModuleCheckpoints.toBytes(module), type, null);
    }

    private static <M extends Module> ModelHandle<M> ofFile(Path file, Class<M> type, Factory<M> factory)
            throws IOException {
        requireNonNull(file, "file", "the checkpoint's path");
        byte[] content = readFile(file);
        ModelHandle<M> handle = new ModelHandle<>(type, factory, file.toAbsolutePath().toString(), null,
                sha256(content));
        handle.load(content);
        return handle;
    }

    private static <M extends Module> ModelHandle<M> ofBytes(byte[] checkpoint, Class<M> type, Factory<M> factory)
            throws CheckpointFormatException {
        requireNonNull(checkpoint, "checkpoint", "the checkpoint file's content");
        byte[] content = checkpoint.clone();
        ModelHandle<M> handle = new ModelHandle<>(type, factory, null, content, sha256(content));
        handle.load(content);
        return handle;
    }

    /**
     * The model, loaded on this JVM's first call for this content and shared afterwards: in {@code eval()} mode,
     * parameters not requiring gradients. Calls from many threads load it once.
     *
     * @return the shared module
     * @throws CheckpointFormatException when the content differs from the checksum the handle was made with (the
     *                                   file changed, or the bytes were damaged), or cannot be loaded here
     * @throws IOException               when the file cannot be read on this machine
     */
    public M get() throws IOException {
        Slot slot = LOADED.computeIfAbsent(key(), k -> new Slot());
        Module module = slot.module;
        if (module == null) {
            synchronized (slot) {
                module = slot.module;
                if (module == null) {
                    byte[] content = bytes != null ? bytes : readFile(Path.of(path));
                    String found = sha256(content);
                    if (!found.equals(sha256)) {
                        throw new CheckpointFormatException(Path.of(source()), null, "the content's SHA-256 is "
                                + found + ", but the handle was made for " + sha256 + "; the file changed after"
                                + " the job was built (or differs on this machine): make a new handle, or"
                                + " restore the file");
                    }
                    module = build(content);
                    slot.module = module;
                }
            }
        }
        return cast(module);
    }

    /**
     * Forgets this JVM's shared copy of the model (e.g. after a rollover to a new model), so its memory can be
     * reclaimed once no task uses it; a later {@link #get()} loads it again. Modules already handed out stay valid.
     */
    public void release() {
        LOADED.remove(key());
    }

    /**
     * The SHA-256 of the checkpoint's content, as 64 lowercase hex digits.
     *
     * @return the checksum the content is held to
     */
    public String sha256() {
        return sha256;
    }

    /**
     * Where the content comes from, for messages and logs: the file's absolute path, or {@code <bytes>}.
     *
     * @return the absolute path or {@code <bytes>}
     */
    public String source() {
        return path != null ? path : "<bytes>";
    }

    /**
     * Whether {@code o} is a handle to the same content built the same way.
     *
     * @param o any object
     * @return true for the same checksum, source, module class or factory
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelHandle<?> other && key().equals(other.key()) && Objects.equals(path, other.path);
    }

    /**
     * A hash consistent with {@link #equals}.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return Objects.hash(key(), path);
    }

    /**
     * For logs: the module class, the source and the checksum's first 12 digits.
     *
     * @return e.g. {@code ModelHandle[GRU from /models/gru.safetensors, sha256 3f2a9c...]}
     */
    @Override
    public String toString() {
        String kind = type != null ? type.getSimpleName() : "model from " + factory.getClass().getName();
        return "ModelHandle[" + kind + " from " + source() + ", sha256 " + sha256.substring(0, 12) + "...]";
    }

    /** Builds and caches the model from {@code content}, whose checksum was just computed from it. */
    private void load(byte[] content) throws CheckpointFormatException {
        Slot slot = LOADED.computeIfAbsent(key(), k -> new Slot());
        synchronized (slot) {
            if (slot.module == null) {
                slot.module = build(content);
            }
        }
    }

    private Module build(byte[] content) throws CheckpointFormatException {
        StateDict checkpoint;
        try {
            checkpoint = StateDicts.read(content, source());
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException e) {
            // In-memory content: reading cannot fail for I/O reasons, only for the format.
            throw new CheckpointFormatException(Path.of(source()), null, e.getMessage(), e);
        }
        Module module = factory == null ? ModuleCheckpoints.load(checkpoint, type)
                : ModuleCheckpoints.loadInto(checkpoint, factory.create());
        module.eval();
        for (Parameter p : module.parameters()) {
            p.value().requiresGrad(false);
        }
        return module;
    }

    @SuppressWarnings("unchecked") // the slot for this key only ever holds what this handle's build returned
    private M cast(Module module) {
        return type != null ? type.cast(module) : (M) module;
    }

    private Key key() {
        return new Key(sha256, type != null ? type.getName() : "factory:" + factory.getClass().getName());
    }

    private static byte[] readFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file (a model handle's file must exist"
                    + " at the same path on every machine that runs the job)");
        }
        if (!Files.isRegularFile(file)) {
            throw new CheckpointFormatException(file, null, "not a regular file");
        }
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8) {
            throw new CheckpointFormatException(file, null, "the file has " + size + " bytes; a model handle"
                    + " holds checkpoints up to 2 GiB (load larger ones with ModuleCheckpoints.load)");
        }
        return Files.readAllBytes(file);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void requireNonNull(Object value, String name, String what) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null: pass " + what);
        }
    }

    /** Refuses a serialised handle whose fields could not have come from the factories. */
    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if ((type == null) == (factory == null)) {
            throw new InvalidObjectException("a model handle needs exactly one of a module class and a factory");
        }
        if ((path == null) == (bytes == null)) {
            throw new InvalidObjectException("a model handle needs exactly one of a path and bytes");
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new InvalidObjectException("a model handle's sha256 must be 64 lowercase hex digits");
        }
        if (type != null && !Module.class.isAssignableFrom(type)) {
            throw new InvalidObjectException("a model handle's type must be a Module class, not " + type.getName());
        }
    }

    /** Content checksum and build recipe: one shared model per key and JVM. */
    private record Key(String sha256, String builder) {
    }

    /** Holds the shared module once loaded; its monitor serialises the one load. */
    private static final class Slot {
        private volatile Module module;
    }
}
