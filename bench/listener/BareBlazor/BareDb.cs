using Microsoft.EntityFrameworkCore;

namespace BareBlazor;

/// <summary>One table, read by the home page: enough to load EF Core and SQLite as the panel does.</summary>
public sealed class BareDb(DbContextOptions<BareDb> options) : DbContext(options)
{
    public DbSet<Item> Items => Set<Item>();
}

/// <summary>A row with a name and a date, like a certificate in the panel's list.</summary>
public sealed class Item
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset NotAfter { get; set; }
}
