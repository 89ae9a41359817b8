package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.checkpoint.PickleValues.DTypeConstant;
import io.github.jrnn.nn.checkpoint.PickleValues.StorageType;
import io.github.jrnn.nn.checkpoint.PickleValues.TorchCallable;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The allow-list of globals (GLOBAL and STACK_GLOBAL opcodes) a tensor state dict uses, the same idea as
 * {@code torch.load(weights_only=True)}: {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter} and {@code _rebuild_parameter_with_state}, {@code torch.Size}, the typed
 * storage classes ({@code torch.FloatStorage} ... {@code torch.BoolStorage}, {@code torch.UntypedStorage}) and the
 * dtype constants ({@code torch.float32} ...). A name is looked up in a fixed table of constants; nothing is ever
 * loaded or instantiated by name. Any other global is refused where it appears, before the pickle is read further,
 * with a message naming it and saying what to save instead.
 */
final class PickleGlobals {
    private static final Map<String, Object> ALLOWED = new HashMap<>();

    static {
        for (TorchCallable c : TorchCallable.values()) {
            ALLOWED.put(c.qualifiedName, c);
        }
        storage("FloatStorage", DType.F32);
        storage("DoubleStorage", DType.F64);
        storage("HalfStorage", DType.F16);
        storage("BFloat16Storage", DType.BF16);
        storage("LongStorage", DType.I64);
        storage("IntStorage", DType.I32);
        storage("ShortStorage", DType.I16);
        storage("CharStorage", DType.I8);
        storage("ByteStorage", DType.U8);
        storage("BoolStorage", DType.BOOL);
        // An untyped storage counts bytes; torch names it from either module.
        ALLOWED.put("torch.UntypedStorage", new StorageType("torch.UntypedStorage", DType.U8));
        ALLOWED.put("torch.storage.UntypedStorage", new StorageType("torch.storage.UntypedStorage", DType.U8));
        dtype("float32", DType.F32);
        dtype("float64", DType.F64);
        dtype("float16", DType.F16);
        dtype("bfloat16", DType.BF16);
        dtype("int64", DType.I64);
        dtype("int32", DType.I32);
        dtype("int16", DType.I16);
        dtype("int8", DType.I8);
        dtype("uint8", DType.U8);
        dtype("bool", DType.BOOL);
    }

    private static void storage(String name, DType dtype) {
        ALLOWED.put("torch." + name, new StorageType("torch." + name, dtype));
    }

    private static void dtype(String name, DType dtype) {
        ALLOWED.put("torch." + name, new DTypeConstant("torch." + name, dtype));
    }

    private PickleGlobals() {
    }

    /**
     * The constant standing for {@code module.name}: a {@link TorchCallable}, {@link StorageType} or
     * {@link DTypeConstant}. {@code what} names the pickle in messages.
     *
     * @throws CheckpointFormatException when the global is not on the allow-list
     */
    static Object resolve(Path file, String what, String module, String name) throws CheckpointFormatException {
        String qualified = module + "." + name;
        Object allowed = ALLOWED.get(qualified);
        if (allowed != null) {
            return allowed;
        }
        throw new CheckpointFormatException(file, null, what + ": global '" + qualified + "' is not allowed: jrnn"
                + " reads tensors, dicts, lists and plain values from a pickle and never calls or builds anything"
                + " else (like torch.load(weights_only=True)); " + hint(module, name));
    }

    private static String hint(String module, String name) {
        if (module.equals("__torch__") || module.startsWith("__torch__.")) {
            return "this is a TorchScript archive: in Python run"
                    + " torch.save(torch.jit.load(f).state_dict(), path) and read that file";
        }
        if (module.equals("numpy") || module.startsWith("numpy.")) {
            return "hint: a numpy array is not a tensor; save torch.from_numpy(array) instead";
        }
        if (module.equals("torch") && name.endsWith("Storage")) {
            return "it is a storage of a dtype jrnn does not read (it reads F32, F64, F16, BF16, I64, I32, I16, I8,"
                    + " U8 and BOOL)";
        }
        if (module.equals("__main__") || module.startsWith("torch.nn.") || !name.isEmpty()
                && Character.isUpperCase(name.charAt(0))) {
            return "hint: the file holds a pickled Python object; save model.state_dict(), not the model"
                    + " (torch.save(model.state_dict(), path))";
        }
        return "a pickle that refers to it may run code when loaded in Python; a state dict saved with"
                + " torch.save(model.state_dict(), path) never does";
    }
}
