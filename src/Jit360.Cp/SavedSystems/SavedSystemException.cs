namespace Jit360.Cp.SavedSystems;

/// <summary>A saved-system file that cannot be used, or a request the saved system cannot satisfy; the message names the file or system.</summary>
public sealed class SavedSystemException(string message) : Exception(message);
