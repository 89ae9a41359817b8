package io.github.jrnn.nn.checkpoint;

/** The file formats {@link StateDicts#read} recognises from a file's first bytes (never from its name). */
public enum CheckpointFormat {
    /**
     * {@code torch.save}'s default since PyTorch 1.6: a zip archive of {@code <folder>/data.pkl} (a pickle),
     * {@code <folder>/data/<key>} (one stored entry per storage), {@code <folder>/version} and an optional
     * {@code <folder>/byteorder}; the folder is the file's stem or {@code archive}.
     */
    TORCH_ZIP,
    /**
     * {@code torch.save(..., _use_new_zipfile_serialization=False)}: five pickles (magic number, protocol version,
     * system info, the object, the storage keys) followed by each storage's element count and bytes.
     */
    TORCH_LEGACY,
    /** A safetensors file: a JSON header and the tensors' bytes (see {@link SafeTensors}). */
    SAFETENSORS
}
