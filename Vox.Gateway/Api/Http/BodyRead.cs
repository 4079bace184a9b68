using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Vox.Gateway.Api.Http;

/// <summary>The outcome of <see cref="JsonBody.ReadAsync{T}"/>: the value, or the problem to answer with.</summary>
internal readonly struct BodyRead<T>
    where T : class
{
    private BodyRead(T? value, ProblemHttpResult? problem)
    {
        Value = value;
        Problem = problem;
    }

    /// <summary>The deserialized body when <see cref="Succeeded"/>.</summary>
    public T? Value { get; }

    /// <summary>The 400/415 to return when the body was refused.</summary>
    public ProblemHttpResult? Problem { get; }

    /// <summary>True when the body was read and deserialized.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool Succeeded => Problem is null;

    /// <summary>A body that was read.</summary>
    public static BodyRead<T> Ok(T value) => new(value, null);

    /// <summary>A body that was refused.</summary>
    public static BodyRead<T> Fail(ProblemHttpResult problem) => new(null, problem);
}
