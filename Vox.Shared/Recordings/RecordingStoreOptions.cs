namespace Vox.Grains.Recordings;

/// <summary>
/// The <c>Recordings</c> section: where call recordings are stored. <c>local</c> (default) keeps them under
/// <see cref="RootPath"/> on this host; <c>s3</c> keeps them in an S3 (or S3-compatible) bucket that every host reaches.
/// </summary>
public sealed class RecordingStoreOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Recordings";

    /// <summary>The <see cref="Provider"/> value for the local-disk store.</summary>
    public const string LocalProvider = "local";

    /// <summary>The <see cref="Provider"/> value for the S3 store.</summary>
    public const string S3Provider = "s3";

    /// <summary><c>local</c> (default) or <c>s3</c>.</summary>
    public string Provider { get; set; } = LocalProvider;

    /// <summary>local: the folder recordings are written under, relative to the working folder unless absolute.</summary>
    public string RootPath { get; set; } = "data/recordings";

    /// <summary>s3: endpoint of an S3-compatible server, e.g. <c>http://127.0.0.1:9000</c>; empty for AWS itself (then <see cref="Region"/> picks it).</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>s3: the region (signing region for a <see cref="ServiceUrl"/>; default <c>us-east-1</c> there, required for AWS).</summary>
    public string? Region { get; set; }

    /// <summary>s3: the bucket name.</summary>
    public string? Bucket { get; set; }

    /// <summary>s3: access key id; from the environment (<c>VOX__Recordings__AccessKey</c>) or a secrets file, never a committed one.</summary>
    public string? AccessKey { get; set; }

    /// <summary>s3: secret access key; from the environment (<c>VOX__Recordings__SecretKey</c>), never a committed file. Never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>s3: path-style URLs (<c>host/bucket/key</c>) rather than virtual-host style; most S3-compatible servers need it. Default true.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>s3: prefix put before every key, e.g. <c>vox/</c>, so several deployments can share a bucket. Default none.</summary>
    public string KeyPrefix { get; set; } = "";

    /// <summary>s3: create the bucket on first save when it is missing. Default false: a production bucket is provisioned on purpose.</summary>
    public bool CreateBucketIfMissing { get; set; }

    /// <summary>True when <see cref="Provider"/> names the S3 store.</summary>
    public bool IsS3 => string.Equals(Provider, S3Provider, StringComparison.OrdinalIgnoreCase);
}
