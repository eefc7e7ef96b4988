namespace Jit360.Assembler;

/// <summary>
/// Source text to statements: the card-image conventions of the assembler language. Columns
/// 1-71 hold the statement; a non-blank column 72 continues it on the next line, whose text
/// resumes in column 16; columns 73-80 (a sequence number) are ignored.
/// </summary>
public static class SourceReader
{
    public const int EndColumn = 71, ContinuationColumn = 72, ContinueColumn = 16;

    /// <summary>Logical lines with the number of the first physical line of each.</summary>
    public static List<(string Text, int Line)> Lines(string source)
    {
        var result = new List<(string, int)>();
        var physical = source.Replace("\r\n", "\n").Split('\n');
        // A trailing newline does not make an extra empty statement.
        int count = physical.Length;
        if (count > 0 && physical[count - 1].Length == 0) count--;
        for (int i = 0; i < count; i++)
        {
            int first = i + 1;
            string line = physical[i].Replace('\t', ' ');
            string text = Field(line);
            // Comment statements may be continued too; only statements with a mark in column 72 are.
            while (Continues(line) && i + 1 < count)
            {
                i++;
                line = physical[i].Replace('\t', ' ');
                string more = Field(line);
                // The continued operand resumes in column 16; the blanks before column 72 are not part of it.
                text = text.TrimEnd() + (more.Length >= ContinueColumn ? more[(ContinueColumn - 1)..] : "");
            }
            result.Add((text, first));
        }
        return result;
    }

    static bool Continues(string line) => line.Length >= ContinuationColumn && line[ContinuationColumn - 1] != ' ';

    /// <summary>The statement field: columns 1-71 when the line is card-formatted, the whole line otherwise.</summary>
    static string Field(string line)
        => line.Length >= ContinuationColumn ? line[..EndColumn] : line;
}
