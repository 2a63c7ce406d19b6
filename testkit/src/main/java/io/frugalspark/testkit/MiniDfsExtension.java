package io.frugalspark.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Starts one {@link MiniDfs} per test class and injects it into test methods. */
public final class MiniDfsExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MiniDfsExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        context.getStore(NS).put("dfs", MiniDfs.start());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        MiniDfs dfs = context.getStore(NS).remove("dfs", MiniDfs.class);
        if (dfs != null) {
            dfs.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == MiniDfs.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return e.getStore(NS).get("dfs", MiniDfs.class);
    }
}
