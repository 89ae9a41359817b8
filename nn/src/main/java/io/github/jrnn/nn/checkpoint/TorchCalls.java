package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.checkpoint.PickleValues.PyDict;
import io.github.jrnn.nn.checkpoint.PickleValues.PyTuple;
import io.github.jrnn.nn.checkpoint.PickleValues.StorageRef;
import io.github.jrnn.nn.checkpoint.PickleValues.TensorRef;
import io.github.jrnn.nn.checkpoint.PickleValues.TorchCallable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What REDUCE does with each allowed callable, written out by hand: the arguments are checked for number and type
 * and turned into one of the {@link PickleValues}; nothing is looked up or invoked by name.
 * <ul>
 *   <li>{@code collections.OrderedDict()}: an empty ordered dict (SETITEMS fills it).</li>
 *   <li>{@code torch.Size(tuple)}: the tuple of ints.</li>
 *   <li>{@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks[, metadata])}: a
 *   {@link TensorRef} checked by {@link TensorLayout}; the hooks must be an empty dict and the metadata absent,
 *   None or empty (what {@code torch.save} writes for plain tensors).</li>
 *   <li>{@code _rebuild_parameter(tensor, requires_grad, backward_hooks)} and
 *   {@code _rebuild_parameter_with_state(tensor, requires_grad, backward_hooks, state)}: the tensor (a Parameter's
 *   data; requires_grad and the Python attributes in state mean nothing outside Python).</li>
 * </ul>
 */
final class TorchCalls {
    private TorchCalls() {
    }

    static Object call(Path file, String what, TorchCallable callable, PyTuple args) throws CheckpointFormatException {
        List<Object> a = args.items;
        return switch (callable) {
            case ORDERED_DICT -> {
                if (!a.isEmpty()) {
                    throw refused(file, what, callable, "collections.OrderedDict takes no arguments here, got "
                            + a.size());
                }
                yield new PyDict(true);
            }
            case SIZE -> {
                if (a.size() != 1 || !(a.getFirst() instanceof PyTuple t)) {
                    throw refused(file, what, callable, "torch.Size takes one tuple of ints, got " + describe(a));
                }
                ints(file, what, callable, t, "size");
                yield t;
            }
            case REBUILD_TENSOR_V2 -> rebuildTensor(file, what, a);
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                int n = callable == TorchCallable.REBUILD_PARAMETER ? 3 : 4;
                if (a.size() != n || !(a.getFirst() instanceof TensorRef t) || !(a.get(1) instanceof Boolean)) {
                    throw refused(file, what, callable, callable.qualifiedName + " takes (tensor, requires_grad,"
                            + " backward_hooks" + (n == 4 ? ", state)" : ")") + ", got " + describe(a));
                }
                checkHooks(file, what, callable, a.get(2));
                yield t;
            }
        };
    }

    private static TensorRef rebuildTensor(Path file, String what, List<Object> a) throws CheckpointFormatException {
        TorchCallable c = TorchCallable.REBUILD_TENSOR_V2;
        if (a.size() != 6 && a.size() != 7) {
            throw refused(file, what, c, c.qualifiedName + " takes 6 or 7 arguments (storage, storage_offset, size,"
                    + " stride, requires_grad, backward_hooks[, metadata]), got " + a.size());
        }
        if (!(a.get(0) instanceof StorageRef storage)) {
            throw refused(file, what, c, "argument 1 must be a storage, got " + PickleValues.typeName(a.get(0)));
        }
        if (!(a.get(1) instanceof Long offset)) {
            throw refused(file, what, c, "storage_offset must be an int of 64 bits, got "
                    + PickleValues.typeName(a.get(1)));
        }
        if (!(a.get(2) instanceof PyTuple size) || !(a.get(3) instanceof PyTuple stride)) {
            throw refused(file, what, c, "size and stride must be tuples, got " + PickleValues.typeName(a.get(2))
                    + " and " + PickleValues.typeName(a.get(3)));
        }
        if (!(a.get(4) instanceof Boolean)) {
            throw refused(file, what, c, "requires_grad must be a bool, got " + PickleValues.typeName(a.get(4)));
        }
        checkHooks(file, what, c, a.get(5));
        if (a.size() == 7 && a.get(6) != null && !(a.get(6) instanceof PyDict m && m.items.isEmpty())) {
            throw refused(file, what, c, "tensor metadata (argument 7) must be None or empty, got "
                    + PickleValues.typeName(a.get(6)) + "; jrnn reads plain dense tensors");
        }
        return TensorLayout.check(file, what, storage, offset, ints(file, what, c, size, "size"),
                ints(file, what, c, stride, "stride"));
    }

    private static void checkHooks(Path file, String what, TorchCallable c, Object hooks)
            throws CheckpointFormatException {
        if (!(hooks instanceof PyDict d) || !d.items.isEmpty()) {
            throw refused(file, what, c, "backward hooks must be an empty OrderedDict, got "
                    + PickleValues.typeName(hooks) + "; save tensors without hooks (state_dict() has none)");
        }
    }

    private static List<Long> ints(Path file, String what, TorchCallable c, PyTuple t, String field)
            throws CheckpointFormatException {
        List<Long> out = new ArrayList<>(t.items.size());
        for (Object v : t.items) {
            if (!(v instanceof Long l)) {
                throw refused(file, what, c, field + " must hold ints of 64 bits, got " + PickleValues.typeName(v));
            }
            out.add(l);
        }
        return out;
    }

    private static String describe(List<Object> args) {
        List<String> types = new ArrayList<>();
        for (Object v : args) {
            types.add(PickleValues.typeName(v));
        }
        return "(" + String.join(", ", types) + ")";
    }

    private static CheckpointFormatException refused(Path file, String what, TorchCallable c, String problem) {
        return new CheckpointFormatException(file, null, what + ": " + c.qualifiedName + ": " + problem);
    }
}
