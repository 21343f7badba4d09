package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.auth.TokenUnavailable.Operation;
import io.datasette.dclient.core.auth.TokenUnavailable.Reason;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.io.Processes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The Windows Credential Manager (generic credentials, target
 * {@code io.datasette.dclient:<alias or URL>}), through Windows PowerShell, which every Windows
 * since 7 has. {@code cmdkey} can store a generic credential but never read its password back,
 * and takes the password as an argument; PowerShell has no cmdlet for generic credentials, so
 * a few lines of C# calling {@code CredReadW}/{@code CredWriteW}/{@code CredDeleteW} are
 * compiled by {@code Add-Type} (about a second per call, paid only by commands that use the
 * keyring; a JNA binding would cost every command its start-up instead). The script goes in
 * {@code -EncodedCommand}, the key base64-encoded inside it (no quoting to get wrong), and the
 * token on standard input. Exit 2 means no such credential.
 */
final class WindowsCredentialManager extends Keyring {
    static final String TARGET_PREFIX = SERVICE + ":";
    static final int NOT_FOUND = 2;

    private static final String SCRIPT = """
            $ErrorActionPreference = 'Stop'
            try {
            Add-Type -TypeDefinition @'
            using System;
            using System.Runtime.InteropServices;
            using System.Text;
            public static class DclientCredentials {
                [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
                private struct CREDENTIAL {
                    public int Flags;
                    public int Type;
                    public string TargetName;
                    public string Comment;
                    public System.Runtime.InteropServices.ComTypes.FILETIME LastWritten;
                    public int CredentialBlobSize;
                    public IntPtr CredentialBlob;
                    public int Persist;
                    public int AttributeCount;
                    public IntPtr Attributes;
                    public string TargetAlias;
                    public string UserName;
                }
                [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
                private static extern bool CredReadW(string target, int type, int flags, out IntPtr credential);
                [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
                private static extern bool CredWriteW(ref CREDENTIAL credential, int flags);
                [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
                private static extern bool CredDeleteW(string target, int type, int flags);
                [DllImport("advapi32.dll")]
                private static extern void CredFree(IntPtr buffer);
                private const int GENERIC = 1;
                private const int PERSIST_LOCAL_MACHINE = 2;
                private const int ERROR_NOT_FOUND = 1168;
                public static string Read(string target) {
                    IntPtr p;
                    if (!CredReadW(target, GENERIC, 0, out p)) {
                        int e = Marshal.GetLastWin32Error();
                        if (e == ERROR_NOT_FOUND) return null;
                        throw new System.ComponentModel.Win32Exception(e);
                    }
                    try {
                        CREDENTIAL c = (CREDENTIAL) Marshal.PtrToStructure(p, typeof(CREDENTIAL));
                        if (c.CredentialBlobSize == 0) return "";
                        return Marshal.PtrToStringUni(c.CredentialBlob, c.CredentialBlobSize / 2);
                    } finally {
                        CredFree(p);
                    }
                }
                public static void Write(string target, string user, string secret) {
                    byte[] blob = Encoding.Unicode.GetBytes(secret);
                    CREDENTIAL c = new CREDENTIAL();
                    c.Type = GENERIC;
                    c.TargetName = target;
                    c.UserName = user;
                    c.Persist = PERSIST_LOCAL_MACHINE;
                    c.CredentialBlobSize = blob.Length;
                    c.CredentialBlob = Marshal.AllocHGlobal(blob.Length);
                    try {
                        Marshal.Copy(blob, 0, c.CredentialBlob, blob.Length);
                        if (!CredWriteW(ref c, 0)) throw new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error());
                    } finally {
                        Marshal.FreeHGlobal(c.CredentialBlob);
                    }
                }
                public static void Delete(string target) {
                    if (CredDeleteW(target, GENERIC, 0)) return;
                    int e = Marshal.GetLastWin32Error();
                    if (e != ERROR_NOT_FOUND) throw new System.ComponentModel.Win32Exception(e);
                }
            }
            '@
            $user = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('%KEY%'))
            $target = '%PREFIX%' + $user
            switch ('%ACTION%') {
                'store' { [DclientCredentials]::Write($target, $user, [Console]::In.ReadToEnd()) }
                'lookup' {
                    $secret = [DclientCredentials]::Read($target)
                    if ($secret -eq $null) { exit %NOT_FOUND% }
                    [Console]::Out.Write($secret)
                }
                'delete' { [DclientCredentials]::Delete($target) }
            }
            exit 0
            } catch {
                [Console]::Error.WriteLine($_.Exception.Message)
                exit 1
            }
            """;

    WindowsCredentialManager(Context ctx, Duration timeout) {
        super(ctx, timeout);
    }

    @Override
    public String name() {
        return "the Windows Credential Manager (PowerShell)";
    }

    @Override
    String program() {
        return "powershell";
    }

    /** The PowerShell command line for {@code action} on {@code key}; nothing secret in it. */
    static List<String> argv(String action, String key) {
        String script = SCRIPT.replace("%KEY%", Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))
                .replace("%PREFIX%", TARGET_PREFIX).replace("%ACTION%", action)
                .replace("%NOT_FOUND%", Integer.toString(NOT_FOUND));
        String encoded = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
        return List.of("powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand", encoded);
    }

    @Override
    public void store(String key, String token) {
        Processes.Outcome o = run(Operation.STORE, key, argv("store", key), token);
        if (!o.succeeded()) throw failure(Reason.KEYRING_FAILED, Operation.STORE, key, said(o));
    }

    @Override
    public String lookup(String key) {
        Processes.Outcome o = run(Operation.READ, key, argv("lookup", key), null);
        if (o.status() == Processes.Status.EXITED && o.exitCode() == NOT_FOUND) return null;
        if (!o.succeeded()) throw failure(Reason.KEYRING_FAILED, Operation.READ, key, said(o));
        String secret = o.out().strip();
        return secret.isEmpty() ? null : secret;
    }

    @Override
    public void delete(String key) {
        Processes.Outcome o = run(Operation.REMOVE, key, argv("delete", key), null);
        if (!o.succeeded()) throw failure(Reason.KEYRING_FAILED, Operation.REMOVE, key, said(o));
    }
}
