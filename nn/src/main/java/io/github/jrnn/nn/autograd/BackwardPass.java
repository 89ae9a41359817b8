package io.github.jrnn.nn.autograd;

import io.github.jrnn.kernels.KernelProvider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the backward graph from one value: orders the recorded {@link GradNode}s so that every node runs after all
 * nodes that consume its outputs, hands each node the summed gradients of its outputs, and adds the gradients that
 * reach leaves requiring grad into their {@code grad} (accumulating across calls, as PyTorch does, until
 * they are zeroed).
 */
final class BackwardPass {

    private BackwardPass() {
    }

    static void run(Differentiable root, float[] seed) {
        GradNode rootNode = root.gradFn();
        if (rootNode == null) {
            root.accumulateGrad(seed);
            return;
        }
        List<GradNode> order = topologicalOrder(rootNode);
        Map<GradNode, float[][]> pending = new IdentityHashMap<>();
        pending.computeIfAbsent(rootNode, n -> new float[n.outputCount()][])[root.gradOutputIndex()] = seed;
        for (GradNode node : order) {
            float[][] outputGrads = pending.remove(node);
            if (outputGrads == null) {
                continue; // nothing flowed into this node (its outputs did not reach the root)
            }
            float[][] inputGrads = node.runBackward(outputGrads);
            Differentiable[] inputs = node.inputs();
            for (int i = 0; i < inputs.length; i++) {
                Differentiable input = inputs[i];
                float[] g = inputGrads[i];
                if (input == null || g == null || !input.requiresGrad()) {
                    continue;
                }
                if (g.length != input.numel()) {
                    throw new IllegalStateException(node.name() + " returned a gradient of " + g.length
                            + " elements for input " + i + " with " + input.numel());
                }
                GradNode producer = input.gradFn();
                if (producer == null) {
                    input.accumulateGrad(g);
                } else {
                    float[][] slots = pending.computeIfAbsent(producer, n -> new float[n.outputCount()][]);
                    int slot = input.gradOutputIndex();
                    if (slots[slot] == null) {
                        slots[slot] = g.clone();
                    } else {
                        KernelProvider.kernels().add(g.length, slots[slot], 0, g, 0, slots[slot], 0);
                    }
                }
            }
        }
    }

    /** Nodes reachable from root, each before the nodes that produced its inputs (reverse post-order DFS). */
    private static List<GradNode> topologicalOrder(GradNode root) {
        List<GradNode> postOrder = new ArrayList<>();
        Map<GradNode, Boolean> visited = new IdentityHashMap<>();
        Deque<GradNode> stack = new ArrayDeque<>();
        Deque<Integer> nextInput = new ArrayDeque<>();
        stack.push(root);
        nextInput.push(0);
        visited.put(root, Boolean.TRUE);
        // Iterative DFS: graphs of long unrolled loops (a cell stepped thousands of times) must not overflow the stack.
        while (!stack.isEmpty()) {
            GradNode node = stack.peek();
            int i = nextInput.pop();
            Differentiable[] inputs = node.inputs();
            if (i < inputs.length) {
                nextInput.push(i + 1);
                Differentiable input = inputs[i];
                GradNode child = input == null ? null : input.gradFn();
                if (child != null && visited.put(child, Boolean.TRUE) == null) {
                    stack.push(child);
                    nextInput.push(0);
                }
            } else {
                stack.pop();
                postOrder.add(node);
            }
        }
        List<GradNode> order = new ArrayList<>(postOrder.size());
        for (int i = postOrder.size() - 1; i >= 0; i--) {
            order.add(postOrder.get(i));
        }
        return order;
    }
}
