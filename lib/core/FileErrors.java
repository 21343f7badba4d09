package io.datasette.dclient.core;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.util.Locale;

/**
 * Messages for operating-system errors on local files that say why: "Cannot read
 * X/auth.json: permission denied" rather than Java's bare "X/auth.json" (the message of an
 * {@link AccessDeniedException}). Use {@link #cannot} to build the exception, {@link #reason}
 * for the "why" alone.
 */
public final class FileErrors {
    private FileErrors() {}

    /**
     * "Cannot {verb} {file}: {reason}" as a {@link DclientException}: kind
     * {@link DclientException.Kind#INTERRUPTED} when the thread was interrupted during the file
     * operation, else {@link DclientException.Kind#INPUT}. {@code more} (may be null) is appended
     * as its own sentence.
     */
    public static DclientException cannot(String verb, Path file, Throwable e, String more) {
        String message = "Cannot " + verb + " " + file + ": " + reason(e, file) + (more == null ? "" : ". " + more);
        return new DclientException(message, interrupted(e) ? DclientException.Kind.INTERRUPTED
                : DclientException.Kind.INPUT, e);
    }

    /** Whether {@code e} means the thread was interrupted (Ctrl-C) while it used a file. */
    public static boolean interrupted(Throwable e) {
        return e instanceof ClosedByInterruptException || e instanceof FileLockInterruptionException;
    }

    /** Why a file operation failed, in lower case ("permission denied", "is a directory"...). */
    public static String reason(Throwable e) {
        return reason(e, null);
    }

    /**
     * Like {@link #reason(Throwable)}; when the failing path is not {@code target}, it is named:
     * "permission denied (X)", or for a temp file next to it "permission denied (writing in DIR)".
     */
    public static String reason(Throwable e, Path target) {
        String why = why(e);
        if (target != null && (why.equals(target.toString()) || why.equals(target.toAbsolutePath().toString()))) {
            why = e.getClass().getSimpleName(); // Java's message was only the path
        }
        if (e instanceof FileSystemException f && f.getFile() != null && target != null
                && !(e instanceof FileSystemLoopException)) {
            Path p = Path.of(f.getFile());
            Path t = target.toAbsolutePath().normalize();
            Path abs = p.toAbsolutePath().normalize();
            boolean sibling = t.getFileName() != null && abs.getParent() != null && abs.getParent().equals(t.getParent())
                    && abs.getFileName().toString().startsWith("." + t.getFileName());
            if (sibling) {
                why += " (writing in " + t.getParent() + ")"; // our temp file: the directory is the problem
            } else if (!abs.equals(t)) {
                why += " (" + f.getFile() + ")";
            }
        }
        return why;
    }

    private static String why(Throwable e) {
        if (e instanceof ClosedByInterruptException || e instanceof FileLockInterruptionException) return "interrupted";
        if (e instanceof ReadOnlyFileSystemException) return "read-only file system";
        if (e instanceof AccessDeniedException a) return fromReason(a.getReason(), "permission denied");
        if (e instanceof NoSuchFileException n) return fromReason(n.getReason(), "no such file or directory");
        if (e instanceof NotDirectoryException) return "not a directory";
        if (e instanceof DirectoryNotEmptyException) return "directory not empty";
        if (e instanceof FileAlreadyExistsException f) return fromReason(f.getReason(), "already exists");
        if (e instanceof FileSystemLoopException) return "too many levels of symbolic links";
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null && !f.getReason().isBlank()) return lower(f.getReason());
            return f.getClass().getSimpleName();
        }
        String msg = e.getMessage();
        if (msg == null || msg.isBlank()) return e.getClass().getSimpleName();
        return lower(msg.lines().findFirst().orElse(msg));
    }

    private static String fromReason(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : lower(reason);
    }

    /** "Is a directory" to "is a directory" (the OS's strerror text starts a sentence). */
    private static String lower(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && !Character.isUpperCase(s.charAt(1))) {
            return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
        }
        return s;
    }

    /** Whether {@code e} is an I/O error worth {@link #reason} (for callers catching broadly). */
    public static boolean isFileError(Throwable e) {
        return e instanceof IOException || e instanceof ReadOnlyFileSystemException || e instanceof SecurityException;
    }
}
