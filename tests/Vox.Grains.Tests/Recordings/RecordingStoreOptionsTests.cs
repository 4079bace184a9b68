using Microsoft.Extensions.Configuration;
using Vox.Grains.Recordings;

namespace Vox.Grains.Tests.Recordings;

/// <summary>The <c>Recordings</c> section as bound from configuration and checked at start-up (the host side is in the gateway tests).</summary>
public sealed class RecordingStoreOptionsTests
{
    private static readonly Dictionary<string, string?> ValidS3 = new()
    {
        ["Recordings:Provider"] = "s3",
        ["Recordings:ServiceUrl"] = "http://127.0.0.1:9",
        ["Recordings:Bucket"] = "vox-recordings",
        ["Recordings:AccessKey"] = "id",
        ["Recordings:SecretKey"] = "the-secret-value",
    };

    [Fact]
    public void An_empty_section_means_local_disk_under_data_recordings()
    {
        var options = Bind([]);

        Assert.Equal("local", options.Provider);
        Assert.Equal("data/recordings", options.RootPath);
        Assert.True(options.ForcePathStyle);
        Assert.False(options.CreateBucketIfMissing);
        Assert.True(Validate(options).Succeeded);
        var store = new LocalDiskRecordingStore(options, new CapturingLogger<LocalDiskRecordingStore>());
        Assert.Equal(Path.GetFullPath("data/recordings") + Path.DirectorySeparatorChar, store.RootPath);
    }

    [Fact]
    public void Every_s3_key_binds_and_the_provider_name_is_case_insensitive()
    {
        var options = Bind(new(ValidS3)
        {
            ["Recordings:Provider"] = "S3",
            ["Recordings:Region"] = "eu-west-1",
            ["Recordings:ForcePathStyle"] = "false",
            ["Recordings:KeyPrefix"] = "prod/",
            ["Recordings:CreateBucketIfMissing"] = "true",
        });

        Assert.True(options.IsS3);
        Assert.Equal(("http://127.0.0.1:9", "eu-west-1", "vox-recordings", "id", "the-secret-value"),
            (options.ServiceUrl, options.Region, options.Bucket, options.AccessKey, options.SecretKey));
        Assert.Equal((false, "prod/", true), (options.ForcePathStyle, options.KeyPrefix, options.CreateBucketIfMissing));
        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData("Provider", "ftp", "Recordings:Provider is 'ftp'")]
    [InlineData("Bucket", "", "Recordings:Bucket is required")]
    [InlineData("Bucket", "Not_A_Bucket", "Recordings:Bucket is 'Not_A_Bucket'")]
    [InlineData("ServiceUrl", "127.0.0.1:9000", "Recordings:ServiceUrl is '127.0.0.1:9000'")]
    [InlineData("AccessKey", "", "Recordings:AccessKey is required")]
    [InlineData("SecretKey", "", "Recordings:SecretKey is required")]
    [InlineData("KeyPrefix", "../up", "Recordings:KeyPrefix is '../up'")]
    public void A_bad_s3_setting_is_refused_naming_its_key_and_never_the_secret(string key, string value, string expected)
    {
        var options = Bind(new(ValidS3) { [$"Recordings:{key}"] = value });

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("the-secret-value", result.FailureMessage, StringComparison.Ordinal);
        var error = Assert.Throws<ArgumentException>(() => new S3RecordingStore(options, new CapturingLogger<S3RecordingStore>()));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aws_itself_needs_a_region_when_no_service_url_is_given()
    {
        var options = Bind(new(ValidS3) { ["Recordings:ServiceUrl"] = "" });

        Assert.Contains("Recordings:Region is required", Validate(options).FailureMessage, StringComparison.Ordinal);
        options.Region = "eu-west-1";
        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void A_local_store_needs_a_root_path()
    {
        var options = Bind(new() { ["Recordings:RootPath"] = " " });

        Assert.Contains("Recordings:RootPath", Validate(options).FailureMessage, StringComparison.Ordinal);
    }

    private static RecordingStoreOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new RecordingStoreOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(RecordingStoreOptions.Section).Bind(options);
        return options;
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(RecordingStoreOptions options) =>
        new RecordingStoreOptionsValidator().Validate(null, options);
}
