package io.cutover;

/**
 * The root of every exception Cutover throws. Expected outcomes of a cutover (a failed verification, a
 * rollback) are returned as values, never thrown; an exception means invalid input, a refused request or a
 * bug, and its message names the thing at fault and how to fix it.
 */
public class CutoverException extends RuntimeException {
    public CutoverException(String message) {
        super(message);
    }

    public CutoverException(String message, Throwable cause) {
        super(message, cause);
    }
}
