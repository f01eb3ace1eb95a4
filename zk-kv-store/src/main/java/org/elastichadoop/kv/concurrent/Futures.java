package org.elastichadoop.kv.concurrent;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for futures, and the failure behind the wrappers a future puts around it. */
public final class Futures {
    private Futures() {
    }

    /** The first cause that is not a {@link CompletionException} or {@link ExecutionException} wrapping another. */
    public static Throwable cause(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The future's value within {@code seconds}; its failure, an interrupt or the timeout as an IOException whose
     * message starts with {@code what} (the failure's own message follows, and it is the cause).
     */
    public static <T> T await(CompletableFuture<T> f, long seconds, String what) throws IOException {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + what);
        } catch (ExecutionException e) {
            Throwable cause = cause(e);
            throw new IOException(what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException(what + ": no answer within " + seconds + " s");
        }
    }
}
