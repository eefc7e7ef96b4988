using System.Runtime.CompilerServices;
using System.Reflection;
using System.Reflection.Emit;
using System.Text;

namespace Jit360.Jit;

/// <summary>
/// The translator's only way to write IL: each call emits one IL instruction and, when a
/// listing is wanted (the block viewer), records it as text, so the listing shows exactly what
/// was emitted. A dry emitter (no <see cref="ILGenerator"/>) emits nothing and lets the
/// translator run once to learn which registers a region uses before the real pass.
/// </summary>
public sealed class IlEmitter(ILGenerator? il, bool record)
{
    readonly StringBuilder? listing = record ? new StringBuilder() : null;
    readonly Dictionary<Label, string> labelNames = new();
    readonly Dictionary<LocalBuilder, string> localNames = new();
    int labels;

    public bool Dry => il == null;
    public bool Recording => il != null && listing != null;
    public string Listing => listing?.ToString() ?? "";
    public int Offset => il?.ILOffset ?? 0;

    [MethodImpl(MethodImplOptions.NoOptimization)]
    public Label DefineLabel(string name)
    {
        var l = il?.DefineLabel() ?? default;
        if (il != null && listing != null) labelNames[l] = $"{name}_{labels++}";
        return l;
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Mark(Label l)
    {
        il?.MarkLabel(l);
        if (il != null) listing?.Append(Name(l)).AppendLine(":");
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    public LocalBuilder? Local(Type t, string name)
    {
        if (il == null) return null;
        var l = il.DeclareLocal(t);
        localNames[l] = name;
        return l;
    }

    /// <summary>A comment in the listing: the C# the following IL means, or the guest instruction.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Comment(string text) { if (il != null) listing?.Append("  // ").AppendLine(text); }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Line(OpCode op, string? operand = null)
    {
        if (il == null || listing == null) return;
        listing.Append("  IL_").Append(il.ILOffset.ToString("X4")).Append(": ").Append(op.Name);
        if (operand != null) listing.Append(' ').Append(operand);
        listing.AppendLine();
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    string Name(Label l) => labelNames.TryGetValue(l, out var n) ? n : "L?";
    [MethodImpl(MethodImplOptions.NoOptimization)]
    string Name(LocalBuilder? l) => l != null && localNames.TryGetValue(l, out var n) ? n : "?";

    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Emit(OpCode op) { Line(op); il?.Emit(op); }
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Emit(OpCode op, int v) { Line(op, v.ToString()); il?.Emit(op, v); }
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Emit(OpCode op, byte v) { Line(op, v.ToString()); il?.Emit(op, v); }
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Emit(OpCode op, long v) { Line(op, v.ToString()); il?.Emit(op, v); }
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Emit(OpCode op, Label l) { Line(op, Name(l)); il?.Emit(op, l); }
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Emit(OpCode op, Label[] targets) { Line(op, "(" + string.Join(", ", targets.Select(Name)) + ")"); il?.Emit(op, targets); }
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Emit(OpCode op, FieldInfo f) { Line(op, $"{f.DeclaringType?.Name}.{f.Name}"); il?.Emit(op, f); }
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Emit(OpCode op, MethodInfo m) { Line(op, $"{m.DeclaringType?.Name}.{m.Name}"); il?.Emit(op, m); }
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Emit(OpCode op, LocalBuilder? l) { Line(op, Name(l)); if (il != null) il.Emit(op, l!); }

    /// <summary>calli of a managed static method (the target address on the stack).</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void EmitCalli(Type returnType, Type[] parameters, string what)
    {
        Line(OpCodes.Calli, what);
        il?.EmitCalli(OpCodes.Calli, System.Reflection.CallingConventions.Standard, returnType, parameters, null);
    }

    /// <summary>ldc.i4 in its shortest form.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Const(int v)
    {
        if (v >= -1 && v <= 8)
        {
            var op = v switch
            {
                -1 => OpCodes.Ldc_I4_M1, 0 => OpCodes.Ldc_I4_0, 1 => OpCodes.Ldc_I4_1, 2 => OpCodes.Ldc_I4_2,
                3 => OpCodes.Ldc_I4_3, 4 => OpCodes.Ldc_I4_4, 5 => OpCodes.Ldc_I4_5, 6 => OpCodes.Ldc_I4_6,
                7 => OpCodes.Ldc_I4_7, _ => OpCodes.Ldc_I4_8,
            };
            Emit(op);
        }
        else if (v >= sbyte.MinValue && v <= sbyte.MaxValue) { Line(OpCodes.Ldc_I4_S, v.ToString()); il?.Emit(OpCodes.Ldc_I4_S, (sbyte)v); }
        else Emit(OpCodes.Ldc_I4, v);
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Const(uint v) => Const(unchecked((int)v));
}
