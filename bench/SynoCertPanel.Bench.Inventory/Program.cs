using System.Diagnostics;
using System.Globalization;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;

// Times InventoryService.ListAsync over a data directory seeded with real certificates.
// Usage: dotnet run -c Release --project bench/SynoCertPanel.Bench.Inventory [-- COUNT [RUNS]]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 31;
var folder = Directory.CreateTempSubdirectory("synocert-bench-");
try
{
    var storage = (await PanelStorage.OpenAsync(new DataDirectory(Path.Combine(folder.FullName, "data")))).Value;
    var seeding = Stopwatch.StartNew();
    await InventorySeeder.SeedAsync(storage, TimeProvider.System, count);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {count} certificates in {seeding.Elapsed.TotalSeconds:F1} s"));

    var inventory = new InventoryService(storage, TimeProvider.System);
    var latePage = (count / 50) - 1;
    var cases = new List<(string Name, CertificateQuery Query)>
    {
        ("no search, default sort (expiry)", new CertificateQuery()),
        ("search \"host0123\" (name fragment)", new CertificateQuery { Search = "host0123" }),
        ("search \"lab.lan\" (1/4 of rows)", new CertificateQuery { Search = "lab.lan" }),
        ("search \"Seed Root\" (every row, by issuer), sort common name desc", new CertificateQuery { Search = "Seed Root", Sort = CertificateSort.CommonName, Descending = true }),
        ($"late page {latePage} (expiry)", new CertificateQuery { Page = latePage }),
        ($"late page {latePage} (created, desc)", new CertificateQuery { Page = latePage, Sort = CertificateSort.Created, Descending = true }),
        ($"search \"lab.lan\", late page {(count / 200) - 1}, description", new CertificateQuery { Search = "lab.lan", Page = (count / 200) - 1, Sort = CertificateSort.Description }),
    };
    foreach (var sort in Enum.GetValues<CertificateSort>())
    {
        cases.Add(($"sort {sort}", new CertificateQuery { Sort = sort }));
        cases.Add(($"sort {sort} desc", new CertificateQuery { Sort = sort, Descending = true }));
    }

    Console.WriteLine($"| query | median ms | p90 ms | rows | total |");
    Console.WriteLine($"|---|---:|---:|---:|---:|");
    foreach (var (name, query) in cases)
    {
        CertificatePage page = null!;
        for (var i = 0; i < 3; i++)
        {
            page = await inventory.ListAsync(query);
        }

        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            page = await inventory.ListAsync(query);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {times[times.Count / 2]:F2} | {times[(int)(times.Count * 0.9)]:F2} | {page.Items.Count} | {page.TotalCount} |"));
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    folder.Delete(recursive: true);
}
