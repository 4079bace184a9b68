using System.Text;
using Vox.Gateway.Campaigns;
using Vox.Grains.Campaigns;

namespace Vox.Gateway.Tests.Campaigns;

public sealed class ContactCsvReaderTests
{
    private static Task<ContactCsvReport> ReadAsync(string csv, int maxRows = 100) =>
        ContactCsvReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), maxRows, CancellationToken.None);

    [Fact]
    public async Task Valid_rows_become_contacts_with_extra_columns_as_variables_and_duplicates_merged()
    {
        var report = await ReadAsync("phone,name,time_zone,plan\n+33612345678,Ana,Europe/Paris,gold\n\"+14155550100\",\"Smith, Bo\",America/Los_Angeles,\"say \"\"hi\"\"\"\n+33612345678,Ana B,Europe/Paris,silver\n");
        Assert.Null(report.FileError);
        Assert.Empty(report.Errors);
        Assert.Equal((3, 1, 2), (report.Rows, report.Duplicates, report.Contacts.Count));
        var ana = report.Contacts.Single(c => c.Phone == "+33612345678");
        Assert.Equal(("Ana B", "silver"), (ana.Name, ana.Variables["plan"]));
        Assert.Equal(("Smith, Bo", "say \"hi\""), (report.Contacts[1].Name, report.Contacts[1].Variables["plan"]));
    }

    [Fact]
    public async Task Invalid_numbers_and_zones_are_reported_per_row_naming_the_column()
    {
        var report = await ReadAsync("phone,time_zone\n0612345678,Europe/Paris\n+33612345678,Mars/Olympus\n+33612345679,Europe/Paris\n+3361,x\n");
        Assert.Single(report.Contacts);
        Assert.Equal([(2, "phone"), (3, "time_zone"), (5, "phone"), (5, "time_zone")], report.Errors.Select(e => (e.Row, e.Field)));
    }

    [Fact]
    public async Task Missing_column_rejects_the_file()
    {
        var report = await ReadAsync("phone,name\n+33612345678,Ana\n");
        Assert.Equal("time_zone", report.FileError?.Field);
        Assert.Empty(report.Contacts);
    }

    [Fact]
    public async Task Wrong_encoding_rejects_the_file()
    {
        var latin1 = Encoding.Latin1.GetBytes("phone,name,time_zone\n+33612345678,Zo\u00e9 M\u00fcller,Europe/Paris\n");
        var report = await ContactCsvReader.ReadAsync(new MemoryStream(latin1), 100, CancellationToken.None);
        Assert.Contains("UTF-8", report.FileError?.Message);
        Assert.Empty(report.Contacts);
    }

    [Fact]
    public async Task More_rows_than_the_cap_rejects_the_file()
    {
        var csv = new StringBuilder("phone,time_zone\n");
        for (var i = 0; i < 11; i++)
        {
            csv.Append(CultureInfoInvariant($"+3361000{i:D4},Europe/Paris\n"));
        }

        var report = await ReadAsync(csv.ToString(), maxRows: 10);
        Assert.Contains("More than 10 rows", report.FileError?.Message);
        Assert.Empty(report.Contacts);
    }

    private static string CultureInfoInvariant(FormattableString s) => FormattableString.Invariant(s);
}
