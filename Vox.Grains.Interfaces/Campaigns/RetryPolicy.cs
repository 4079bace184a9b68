namespace Vox.Grains.Campaigns;

/// <summary>The retry rule for each unanswered outcome.</summary>
public sealed record RetryPolicy(RetryRule Busy, RetryRule NoAnswer, RetryRule Failed, RetryRule Voicemail)
{
    /// <summary>Three tries five minutes apart for busy and no answer, one for failures and voicemail.</summary>
    public static RetryPolicy Default { get; } = new(new RetryRule(300, 3), new RetryRule(300, 3), new RetryRule(60, 1), new RetryRule(3600, 1));

    /// <summary>The rule for <paramref name="outcome"/>, null for an answered call (it is final).</summary>
    public RetryRule? For(string outcome) => outcome switch
    {
        AttemptOutcomes.Busy => Busy,
        AttemptOutcomes.NoAnswer => NoAnswer,
        AttemptOutcomes.Voicemail => Voicemail,
        AttemptOutcomes.Failed => Failed,
        _ => null,
    };
}
