/**
 * The safetensors file format, hardened for files from untrusted sources: {@link
 * io.github.jrnn.nn.checkpoint.SafeTensors} reads (eagerly or lazily) and checks every header field before
 * allocating from it, {@link io.github.jrnn.nn.checkpoint.SafeTensorsWriter} writes atomically (a crash never
 * destroys the previous file), and every problem with a file's content is a
 * {@link io.github.jrnn.nn.checkpoint.CheckpointFormatException} naming the file, the tensor and the problem.
 *
 * <p>Layering: file formats only, above {@code tensor}; it knows no modules or optimizers. Whole-module and
 * training checkpoints, which do, are in {@code models}.
 *
 * <p>Thread safety: reading is stateless and an opened file may be read from many threads at once; a writer is
 * built and written by one thread.
 */
package io.github.jrnn.nn.checkpoint;
