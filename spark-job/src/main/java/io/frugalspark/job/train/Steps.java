package io.frugalspark.job.train;

import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.Optimizer;
import io.frugalspark.optim.OptimizerState;
import io.frugalspark.optim.subspace.Subspace;
import java.util.LinkedHashMap;
import java.util.Map;

/** Applies the driver's per-step decisions (density, gap, injected selection) to a replica's optimizer. */
final class Steps {
    private Steps() {}

    static void prepare(Optimizer optimizer, RoundPlan plan, int i) {
        if (!(optimizer instanceof Frugal f)) {
            return;
        }
        if (plan.rho() != null) {
            f.setDensity(plan.rho()[i]);
        }
        f.setUpdateGap(plan.updateGap());
        if (i == 0 && plan.selection() != null) {
            f.inject(decodeSelection(plan.selection()));
        }
    }

    static byte[] encodeSelection(Map<String, Subspace> selection) {
        OptimizerState st = new OptimizerState();
        selection.forEach((name, sub) -> sub.save(name, st));
        st.putScalar("names", selection.size());
        int i = 0;
        for (String name : selection.keySet()) {
            st.putScalar("name." + i++ + "." + name, 0);
        }
        return st.toBytes();
    }

    static Map<String, Subspace> decodeSelection(byte[] bytes) {
        OptimizerState st = OptimizerState.fromBytes(bytes);
        Map<String, Subspace> out = new LinkedHashMap<>();
        int n = (int) st.scalar("names");
        for (int i = 0; i < n; i++) {
            String prefix = "name." + i + ".";
            for (String key : st.scalars().keySet()) {
                if (key.startsWith(prefix)) {
                    String name = key.substring(prefix.length());
                    out.put(name, Subspace.load(name, st));
                }
            }
        }
        return out;
    }
}
