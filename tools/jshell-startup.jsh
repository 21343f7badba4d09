// Loaded by `./dclient --jshell` after JShell's DEFAULT startup: the library's types, and the
// exception every failure arrives as (its message is the command line's; kind() says what failed).
import io.datasette.dclient.api.*;
import io.datasette.dclient.core.DclientException;
