package io.datasette.dclient.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.FileErrors;
import io.datasette.dclient.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reading and writing the JSON files in the config directory without ever losing them: a
 * corrupt file is reported (naming it) and left alone, and writes go to a temp file in the same
 * directory that is then renamed over the old one, so a crash leaves either the old or the new file.
 * Temp and lock files are created owner-only (0600); the temp files a killed process left
 * behind ({@code .NAME.<digits>.tmp}) are removed by the next write of the same file. Failures
 * name the file and the operating system's reason ({@link FileErrors}).
 */
public final class JsonFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    private JsonFiles() {}

    /** Reads a JSON object; null when the file does not exist. */
    public static ObjectNode readObject(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (MalformedInputException e) {
            throw corrupt(file, "it is not UTF-8 text");
        } catch (IOException | RuntimeException e) {
            if (!FileErrors.isFileError(e)) throw (RuntimeException) e;
            throw FileErrors.cannot("read", file, e, null);
        }
        if (text.isBlank()) return null;
        JsonNode node;
        try {
            node = Json.parse(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw corrupt(file, "it is not valid JSON" + where);
        }
        if (!(node instanceof ObjectNode obj)) throw corrupt(file, "expected a JSON object");
        return obj;
    }

    public static DclientException corrupt(Path file, String why) {
        return new DclientException("Cannot use " + file + ": " + why
                + ". Fix or move that file; dclient has not changed it.");
    }

    /**
     * Writes {@code text} to {@code file} atomically. {@code secret} files get owner-only
     * permissions on every write (not just the first); the directory is created owner-only.
     * Callers hold the {@link #locked lock} that guards {@code file}: temp files of earlier,
     * interrupted writes of it are deleted first (they may hold tokens that were since removed).
     */
    public static void writeAtomic(Path file, String text, boolean secret) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            createDirectory(dir);
            removeStaleTemps(file);
            tmp = Files.createTempFile(dir, tempPrefix(file), TEMP_SUFFIX); // 0600 on POSIX
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            setPermissions(tmp, secret ? OWNER_ONLY : READABLE);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            if (secret) setPermissions(file, OWNER_ONLY);
        } catch (IOException | RuntimeException e) {
            if (!FileErrors.isFileError(e)) throw (RuntimeException) e;
            throw FileErrors.cannot("write", file, e, "The previous version is unchanged.");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file is harmless
                }
            }
        }
    }

    private static final String TEMP_SUFFIX = ".tmp";

    private static String tempPrefix(Path file) {
        return "." + file.getFileName() + ".";
    }

    /**
     * The temp files an interrupted write of {@code file} left behind: {@code .NAME.<digits>.tmp}
     * next to it (the names {@link Files#createTempFile} makes), regular files only.
     */
    public static List<Path> staleTemps(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String prefix = tempPrefix(file);
        List<Path> found = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) return found;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + "*" + TEMP_SUFFIX)) {
            for (Path p : entries) {
                String middle = p.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - TEMP_SUFFIX.length());
                if (middle.matches("-?[0-9]+") && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    found.add(p);
                }
            }
        }
        return found;
    }

    /** Deletes {@link #staleTemps}; best effort (one that cannot be deleted is left alone). */
    static void removeStaleTemps(Path file) {
        try {
            for (Path p : staleTemps(file)) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // not ours to delete, or gone already: the write itself may still succeed
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // an unreadable directory fails the write itself, with its reason
        }
    }

    /** Creates the config directory owner-only when it does not exist yet. */
    public static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Path parent = dir.getParent();
        if (parent != null) Files.createDirectories(parent);
        try {
            if (supportsPosix(parent == null ? dir : parent)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
        }
    }

    /**
     * Runs {@code action} holding an exclusive lock on {@code lockFile}, so that two processes
     * doing read-modify-write on the same file cannot lose each other's change.
     */
    public static <T> T locked(Path lockFile, Callable<T> action) {
        // FileChannel.lock only excludes other processes (threads of this JVM get
        // OverlappingFileLockException), so threads first queue on an in-process lock per file.
        ReentrantLock inProcess = IN_PROCESS_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                k -> new ReentrantLock());
        inProcess.lock();
        try {
            createDirectory(lockFile.toAbsolutePath().getParent());
            if (inProcess.getHoldCount() > 1) return action.call(); // re-entered: the file lock is held
            try (FileChannel ch = openLockFile(lockFile);
                    FileLock ignored = ch.lock()) {
                return action.call();
            }
        } catch (DclientException e) {
            throw e;
        } catch (java.nio.file.ReadOnlyFileSystemException e) {
            throw FileErrors.cannot("lock", lockFile, e, null);
        } catch (RuntimeException e) {
            throw e;
        } catch (IOException e) {
            throw FileErrors.cannot("lock", lockFile, e, null);
        } catch (Exception e) {
            throw new DclientException("Cannot lock " + lockFile + ": " + FileErrors.reason(e, lockFile), e);
        } finally {
            inProcess.unlock();
        }
    }

    /**
     * Opens (creating it 0600) the lock file. One left 0644 by an older version is made 0600
     * when we own it; one we cannot change is still usable as a lock.
     */
    private static FileChannel openLockFile(Path lockFile) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        Path dir = lockFile.toAbsolutePath().getParent();
        if (!supportsPosix(dir)) return FileChannel.open(lockFile, options);
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        FileChannel ch = FileChannel.open(lockFile, options, ownerOnly);
        try {
            if (!Files.getPosixFilePermissions(lockFile).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(lockFile, OWNER_ONLY);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // someone else's lock file: it still locks
        }
        return ch;
    }

    private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
        if (supportsPosix(p)) Files.setPosixFilePermissions(p, perms);
    }

    private static boolean supportsPosix(Path p) {
        try {
            return p != null && Files.getFileStore(p).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }
}
