using System.Net;
using System.Net.Sockets;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Ssh;

namespace SynoCertPanel.Core.Tests.Boxes.Ssh;

/// <summary>What a box can do wrong, each against a real sshd: the outcome names the failed step and the old files stay.</summary>
public sealed class SshDeliveryFaultTests
{
    private static readonly (string File, string Content)[] OldFiles =
        [("cert.pem", "old certificate\n"), ("fullchain.pem", "old chain\n"), ("privkey.pem", "old key\n")];

    private static Dictionary<string, string> Paths(string folder) => new()
    {
        [SshOptions.CertPath] = Path.Combine(folder, "cert.pem"),
        [SshOptions.ChainPath] = Path.Combine(folder, "fullchain.pem"),
        [SshOptions.KeyPath] = Path.Combine(folder, "privkey.pem"),
    };

    private static void AssertOldFilesIntact(string folder)
    {
        foreach (var (file, content) in OldFiles)
        {
            Assert.Equal(content, File.ReadAllText(Path.Combine(folder, file)));
        }

        Assert.Equal(OldFiles.Select(f => f.File).Order(), Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Deliver_WrongLoginKey_FailsAtLoginAndWritesNothing()
    {
        using var lab = await SshLab.StartAsync();
        var folder = lab.Folder("box", OldFiles);

        var outcome = await lab.Delivery.DeliverAsync(lab.Sshd.Target(Paths(folder), SshKeys.Generate().PrivateKey), lab.NewLeaf("new"), CancellationToken.None);

        Assert.Equal(DeliveryFailure.Login, outcome.Failure);
        Assert.Contains("refused the login key", outcome.Message, StringComparison.Ordinal);
        AssertOldFilesIntact(folder);
    }

    [Fact]
    public async Task Deliver_HostKeyChanged_FailsWithBothFingerprintsAndWritesNothing()
    {
        using var lab = await SshLab.StartAsync();
        var folder = lab.Folder("box", OldFiles);
        var test = await lab.Delivery.TestAsync(lab.Sshd.Target(Paths(folder)), CancellationToken.None);
        Assert.True(test.Succeeded, test.Message);
        var pinned = test.Learned[SshOptions.HostKey];
        var other = await lab.StartOtherSshdAsync();
        var settings = Paths(folder);
        settings[SshOptions.HostKey] = pinned;

        var outcome = await lab.Delivery.DeliverAsync(other.Target(settings), lab.NewLeaf("new"), CancellationToken.None);

        Assert.Equal(DeliveryFailure.HostKey, outcome.Failure);
        Assert.Contains(pinned, outcome.Message, StringComparison.Ordinal);
        Assert.Contains(other.HostKeyFingerprint, outcome.Message, StringComparison.Ordinal);
        Assert.NotEqual(pinned, other.HostKeyFingerprint);
        Assert.Empty(outcome.Learned);
        AssertOldFilesIntact(folder);
    }

    [Fact]
    public async Task Deliver_PinnedHostKeyMatches_Succeeds()
    {
        using var lab = await SshLab.StartAsync();
        var folder = lab.Folder("box", OldFiles);
        var settings = Paths(folder);
        settings[SshOptions.HostKey] = lab.Sshd.HostKeyFingerprint;
        var bundle = lab.NewLeaf("new");

        var outcome = await lab.Delivery.DeliverAsync(lab.Sshd.Target(settings), bundle, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Empty(outcome.Learned);
        Assert.Equal(bundle.CertificatePem.TrimEnd() + "\n", File.ReadAllText(Path.Combine(folder, "cert.pem")));
        Assert.Equal("old certificate\n", File.ReadAllText(Path.Combine(folder, "cert.pem.previous")));
    }

    [Fact]
    public async Task Deliver_NothingListening_FailsToConnect()
    {
        using var lab = await SshLab.StartAsync();
        var target = lab.Sshd.Target(Paths(lab.Folder("box"))) is var t
            ? t with { Settings = new Dictionary<string, string>(t.Settings) { [SshOptions.Port] = LoopbackProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) } }
            : t;

        var outcome = await lab.Delivery.DeliverAsync(target, lab.NewLeaf("new"), CancellationToken.None);

        Assert.Equal(DeliveryFailure.Connect, outcome.Failure);
        Assert.Contains("connection refused", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_ServerNeverSpeaksSsh_TimesOut()
    {
        using var lab = await SshLab.StartAsync();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var settings = Paths(lab.Folder("box"));
        settings[SshOptions.ConnectTimeout] = "1";
        var target = lab.Sshd.Target(settings) is var t
            ? t with { Settings = new Dictionary<string, string>(t.Settings) { [SshOptions.Port] = ((IPEndPoint)silent.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture) } }
            : t;

        var outcome = await lab.Delivery.TestAsync(target, CancellationToken.None);

        Assert.Equal(DeliveryFailure.Timeout, outcome.Failure);
        Assert.Contains("did not answer within 1 s", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_UnknownHostName_FailsAtDns()
    {
        using var lab = await SshLab.StartAsync();
        var settings = Paths(lab.Folder("box"));
        settings[SshOptions.Host] = "no-such-box.invalid";

        var outcome = await lab.Delivery.TestAsync(lab.Sshd.Target(settings), CancellationToken.None);

        Assert.Equal(DeliveryFailure.Dns, outcome.Failure);
        Assert.Contains("no-such-box.invalid does not resolve", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_FolderNotWritable_FailsWithPermissionAndKeepsOldFiles()
    {
        using var lab = await SshLab.StartAsync();
        var folder = lab.Folder("locked", OldFiles);
        Lock(folder);
        try
        {
            var test = await lab.Delivery.TestAsync(lab.Sshd.Target(Paths(folder)), CancellationToken.None);
            var outcome = await lab.Delivery.DeliverAsync(lab.Sshd.Target(Paths(folder)), lab.NewLeaf("new"), CancellationToken.None);

            Assert.Equal(DeliveryFailure.Permission, test.Failure);
            Assert.Contains($"may not write in {folder}", test.Message, StringComparison.Ordinal);
            Assert.Equal(DeliveryFailure.Permission, outcome.Failure);
            Assert.Contains($"may not write {Path.Combine(folder, "cert.pem")}", outcome.Message, StringComparison.Ordinal);
            Assert.Contains("old files are unchanged", outcome.Message, StringComparison.Ordinal);
            AssertOldFilesIntact(folder);
        }
        finally
        {
            Unlock(folder);
        }
    }

    [Fact]
    public async Task Deliver_DiskFillsHalfway_FailsWithWriteKeepsOldFilesAndLeavesNoTemporaryFile()
    {
        Assert.True(SshdServer.RunsAsRoot, "A full disk is made with a small tmpfs, which needs root.");
        using var lab = await SshLab.StartAsync();
        var folder = lab.Folder("small");
        SshdServer.Run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", folder);
        try
        {
            foreach (var (file, content) in OldFiles)
            {
                File.WriteAllText(Path.Combine(folder, file), content);
            }

            // Fill the tmpfs, then free one page: the first new file fits, the second does not.
            File.WriteAllBytes(Path.Combine(folder, "page"), new byte[4096]);
            FillUp(Path.Combine(folder, "filler"));
            File.Delete(Path.Combine(folder, "page"));

            var outcome = await lab.Delivery.DeliverAsync(lab.Sshd.Target(Paths(folder)), lab.NewLeaf("new"), CancellationToken.None);

            Assert.Equal(DeliveryFailure.Write, outcome.Failure);
            Assert.Contains($"Writing {Path.Combine(folder, "fullchain.pem")} failed", outcome.Message, StringComparison.Ordinal);
            Assert.Contains("old files are unchanged", outcome.Message, StringComparison.Ordinal);
            File.Delete(Path.Combine(folder, "filler"));
            AssertOldFilesIntact(folder);
        }
        finally
        {
            SshdServer.Run("umount", folder);
        }
    }

    [Fact]
    public async Task Deliver_LastRenameRefused_PutsBackTheFilesAlreadyReplaced()
    {
        Assert.True(SshdServer.RunsAsRoot, "An unreplaceable file is made with chattr +i, which needs root.");
        using var lab = await SshLab.StartAsync();
        var folder = lab.Folder("box", OldFiles);
        var key = Path.Combine(folder, "privkey.pem");
        // The key is written last: certificate and chain are already renamed into place when its rename fails.
        SshdServer.Run("chattr", "+i", key);
        try
        {
            var outcome = await lab.Delivery.DeliverAsync(lab.Sshd.Target(Paths(folder)), lab.NewLeaf("new"), CancellationToken.None);

            Assert.Equal(DeliveryFailure.Permission, outcome.Failure);
            Assert.Contains($"may not write {key}", outcome.Message, StringComparison.Ordinal);
            Assert.Contains($"Put back the previous {Path.Combine(folder, "cert.pem")}.", outcome.Steps);
            Assert.Contains($"Put back the previous {Path.Combine(folder, "fullchain.pem")}.", outcome.Steps);
            foreach (var (file, content) in OldFiles)
            {
                Assert.Equal(content, File.ReadAllText(Path.Combine(folder, file)));
            }

            Assert.DoesNotContain(Directory.GetFiles(folder), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        }
        finally
        {
            SshdServer.Run("chattr", "-i", key);
        }
    }

    [Fact]
    public async Task Deliver_WithOwnerAndModes_GivesTheFilesThatOwnerAndThoseModes()
    {
        using var lab = await SshLab.StartAsync();
        var folder = lab.Folder("box", OldFiles);
        var settings = Paths(folder);
        var owner = SshdServer.RunsAsRoot ? "daemon:daemon" : $"{SshdServer.Run("id", "-u").Trim()}:{SshdServer.Run("id", "-g").Trim()}";
        settings[SshOptions.Owner] = owner;
        settings[SshOptions.KeyMode] = "0640";
        settings[SshOptions.CertMode] = "444";

        var outcome = await lab.Delivery.DeliverAsync(lab.Sshd.Target(settings), lab.NewLeaf("new"), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message + "\n" + string.Join("\n", outcome.Steps));
        var expectedOwner = SshdServer.RunsAsRoot ? "daemon:daemon" : $"{SshdServer.User}:{SshdServer.Run("id", "-gn").Trim()}";
        Assert.Equal($"640 {expectedOwner}", SshdServer.Run("stat", "-c", "%a %U:%G", Path.Combine(folder, "privkey.pem")).Trim());
        Assert.Equal($"444 {expectedOwner}", SshdServer.Run("stat", "-c", "%a %U:%G", Path.Combine(folder, "fullchain.pem")).Trim());
        Assert.Contains(outcome.Steps, s => s == "Flushed the new files to disk.");
    }

    [Fact]
    public async Task Deliver_ReloadCommandHangs_FailsWithReloadAfterTheTimeoutAndLeavesTheNewFiles()
    {
        using var lab = await SshLab.StartAsync();
        var folder = lab.Folder("box", OldFiles);
        var settings = Paths(folder);
        settings[SshOptions.ReloadCommand] = "sleep 10";
        settings[SshOptions.CommandTimeout] = "1";
        var bundle = lab.NewLeaf("new");
        var started = DateTime.UtcNow;

        var outcome = await lab.Delivery.DeliverAsync(lab.Sshd.Target(settings), bundle, CancellationToken.None);

        Assert.Equal(DeliveryFailure.Reload, outcome.Failure);
        Assert.Contains("“sleep 10” did not finish within 1 s", outcome.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
        Assert.Equal(bundle.FullChainPem, File.ReadAllText(Path.Combine(folder, "fullchain.pem")));
    }

    [Fact]
    public async Task Deliver_ReloadCommandFails_ReportsExitCodeAndFirstLinesOfStderr()
    {
        using var lab = await SshLab.StartAsync();
        var folder = lab.Folder("box", OldFiles);
        var settings = Paths(folder);
        settings[SshOptions.ReloadCommand] = "echo 'Job for nginx.service failed.' >&2; echo 'See journalctl -xeu nginx.service' >&2; exit 3";

        var outcome = await lab.Delivery.DeliverAsync(lab.Sshd.Target(settings), lab.NewLeaf("new"), CancellationToken.None);

        Assert.Equal(DeliveryFailure.Reload, outcome.Failure);
        Assert.EndsWith("exited with 3: Job for nginx.service failed. / See journalctl -xeu nginx.service", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_WhileAReaderReadsTheFile_TheReaderSeesOnlyWholeFiles()
    {
        using var lab = await SshLab.StartAsync();
        var bundles = new[] { lab.NewLeaf("one"), lab.NewLeaf("two"), lab.NewLeaf("three") };
        var folder = lab.Folder("box", ("fullchain.pem", bundles[2].FullChainPem));
        var chain = Path.Combine(folder, "fullchain.pem");
        var target = lab.Sshd.Target(new Dictionary<string, string> { [SshOptions.ChainPath] = chain });
        var whole = bundles.Select(b => b.FullChainPem).ToHashSet();
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            var seen = new List<string>();
            while (!stop.IsCancellationRequested)
            {
                seen.Add(File.ReadAllText(chain));
                reads++;
            }

            return seen;
        });

        foreach (var bundle in bundles)
        {
            var outcome = await lab.Delivery.DeliverAsync(target, bundle, CancellationToken.None);
            Assert.True(outcome.Succeeded, outcome.Message);
        }

        await stop.CancelAsync();
        var contents = await reader;

        Assert.True(reads > 10, $"only {reads} reads");
        Assert.All(contents, c => Assert.Contains(c, whole));
        Assert.Equal(bundles[2].FullChainPem, File.ReadAllText(chain));
    }

    [Fact]
    public async Task Test_WritableFolders_SucceedsAndChangesNothing()
    {
        using var lab = await SshLab.StartAsync();
        var folder = lab.Folder("box", OldFiles);
        var settings = Paths(folder);
        settings[SshOptions.ReloadCommand] = "touch " + Path.Combine(folder, "reloaded");

        var outcome = await lab.Delivery.TestAsync(lab.Sshd.Target(settings), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Contains($"{folder} is writable.", outcome.Steps);
        AssertOldFilesIntact(folder);
    }

    [Fact]
    public async Task Test_MissingFolder_SaysWhichFolder()
    {
        using var lab = await SshLab.StartAsync();
        var missing = Path.Combine(lab.Directory, "not-there");

        var outcome = await lab.Delivery.TestAsync(lab.Sshd.Target(new Dictionary<string, string> { [SshOptions.ChainPath] = missing + "/fullchain.pem" }),
            CancellationToken.None);

        Assert.Equal(DeliveryFailure.Write, outcome.Failure);
        Assert.Contains($"The folder {missing} does not exist", outcome.Message, StringComparison.Ordinal);
    }

    /// <summary>Makes a folder unwritable for the login account: root ignores modes, so it gets the immutable flag.</summary>
    private static void Lock(string folder) => SshdServer.Run(SshdServer.RunsAsRoot ? "chattr" : "chmod", SshdServer.RunsAsRoot ? "+i" : "555", folder);

    private static void Unlock(string folder) => SshdServer.Run(SshdServer.RunsAsRoot ? "chattr" : "chmod", SshdServer.RunsAsRoot ? "-i" : "755", folder);

    private static void FillUp(string path)
    {
        using var stream = File.Create(path);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // The tmpfs is full.
        }
    }
}
