/**
 * Checkpoints that know module kinds: {@link io.github.jrnn.nn.models.ModuleCheckpoints} saves a whole model and
 * builds one back (or loads into an instance of the user's own class) from a safetensors file written by jrnn or by
 * {@code tools/export_torch.py} (state dict plus the {@link io.github.jrnn.nn.models.ModuleTree} of kinds,
 * constructor arguments and children in {@code __metadata__}), {@link io.github.jrnn.nn.models.TrainingCheckpoint}
 * saves and resumes a training run (parameters, optimizer moments and step counts), and
 * {@link io.github.jrnn.nn.models.CheckpointMetadata} reads typed metadata values with clear errors.
 *
 * <p>Layering: the top of nn, above {@code checkpoint} (the file format), {@code layers}, {@code rnn} and
 * {@code optim}; nothing in the library depends on it.
 *
 * <p>Thread safety: loading is stateless and may run on many threads; saving reads the module's parameters and must
 * not overlap optimizer steps or state-dict loads of that module.
 */
package io.github.jrnn.nn.models;
