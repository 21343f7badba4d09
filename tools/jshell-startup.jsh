// Loaded by `./dclient --jshell` after JShell's DEFAULT startup.
// (Until the io.datasette.dclient.api package exists JShell reports this import
// as an error and carries on.)
import io.datasette.dclient.api.*;
