using Jit360.Cp.VirtualMachines;
using Jit360.Machine;

namespace Jit360.Cp.SavedSystems;

/// <summary>
/// IPL by name and segment attach: a saved system's pages and keys go into a virtual
/// machine's storage.
/// <para>
/// Sharing: the pages are read from the file once (<see cref="SavedSystemCatalog"/>) and every
/// virtual machine shows the same host pages: <see cref="Storage.LoadShared"/> maps the image
/// copy-on-write over the machine's storage array, so a hundred users who IPL CMS hold one copy
/// of its pages in host memory, and a page a guest stores into becomes that guest's own (the host
/// kernel copies that page). A store is never refused: the guest sees exactly what it would see
/// with a copy of its own. The storage keys are copied per machine (two bytes a page). A host that
/// cannot map pages copies (<see cref="SharedPages.FallbackReason"/>).
/// </para>
/// </summary>
public static class NamedSystemLoader
{
    /// <summary>
    /// IPL a saved system: share (or copy) its pages, copy its storage keys, load the GPRs, FPRs and control
    /// registers, then the PSW, so the guest resumes where SAVESYS stopped it (CMS: right after
    /// its DIAGNOSE X'08' SAVESYS at X'020124').
    /// <para>
    /// The control registers are loaded, although emx370 skips them: they are part of the state
    /// SAVESYS recorded, and a guest that resumes in the middle of its own code must find the
    /// state it saved. For CMS they match the S/370 reset values except CR14 (X'C4000000'), so
    /// either choice runs CMS; loading them is the one that stays right for a guest that
    /// changed a control register before saving.
    /// </para>
    /// </summary>
    public static void IplNamedSystem(CpuState cpu, SavedSystem system)
    {
        if (!system.Iplable)
            throw new SavedSystemException($"{system.Name} is a shared segment, not an IPL-able saved system");
        cpu.Reset();
        CopyPages(cpu, system);
        for (int i = 0; i < 16; i++) { cpu.Gpr[i] = system.Gpr[i]; cpu.Cr[i] = system.Cr[i]; }
        for (int i = 0; i < 4; i++) cpu.Fpr[2 * i] = system.Fpr[i];
        cpu.LoadPsw(system.Psw);
    }

    /// <summary>IPL a saved system into a virtual machine: as above, with the saved PSW becoming the virtual PSW.</summary>
    public static void IplNamedSystem(VirtualMachine vm, SavedSystem system)
    {
        IplNamedSystem(vm.Cpu, system);
        vm.LoadVirtualPsw(system.Psw);
    }

    /// <summary>Attaches a shared segment (or any saved system) without IPL: pages (shared) and keys only.</summary>
    public static void AttachSegment(CpuState cpu, SavedSystem system) => CopyPages(cpu, system);

    static void CopyPages(CpuState cpu, SavedSystem system)
    {
        var st = cpu.Storage;
        if (system.EndAddress > st.Size)
            throw new SavedSystemException(
                $"{system.Name} occupies X'{system.LoadAddress:X6}'-X'{system.EndAddress - 1:X6}', beyond this machine's {st.Size / 1024}K of storage");
        if (system.Image != null) st.LoadShared(system.LoadAddress, system.Image);
        else st.Load(system.LoadAddress, system.Pages.Span);
        for (int b = 0; b < system.Keys.Length; b++)
            st.SetKey(system.LoadAddress + (uint)(b * SavedSystem.BlockSize), (byte)(system.Keys[b] & 0xFE));
    }
}
