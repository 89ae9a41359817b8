/**
 * Variable-length batches as PyTorch packs them: {@link io.github.jrnn.nn.packed.PackedSequence} (data rows step
 * after step, {@code batch_sizes}, sorted and unsorted indices) and {@link io.github.jrnn.nn.packed.PackedSequences}
 * ({@code pack_padded_sequence}, {@code pad_packed_sequence}, {@code pack_sequence}, {@code pad_sequence}, with
 * PyTorch's checks and messages); packing and unpacking pass gradients through.
 *
 * <p>Layering: above {@code tensor} and {@code autograd}; the recurrent modules in {@code rnn} consume packed
 * sequences.
 *
 * <p>Thread safety: the functions are stateless; a packed sequence is immutable in structure and may be read by
 * many threads while nobody writes its data tensor.
 */
package io.github.jrnn.nn.packed;
