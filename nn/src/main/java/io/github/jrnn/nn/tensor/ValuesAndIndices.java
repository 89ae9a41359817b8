package io.github.jrnn.nn.tensor;

/**
 * What {@link Tensor#max(int, boolean)}, {@link Tensor#min(int, boolean)} and {@link Tensor#topk} return, like
 * PyTorch's {@code torch.return_types.max}: the values (differentiable) and their positions along the dimension.
 *
 * @param values the selected values
 * @param indices their positions along the reduced dimension, of the same shape
 */
public record ValuesAndIndices(Tensor values, LongTensor indices) {
}
