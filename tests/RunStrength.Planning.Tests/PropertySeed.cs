namespace RunStrength.Planning.Tests;

/// <summary>
/// The one seed every property of this project runs from in the test command, so that a run of
/// the suite is the same run on every machine and every day: a red build always means a changed
/// behaviour, never an unlucky draw. Each property still checks its hundreds of generated cases.
/// To look for new counterexamples, run a property locally with another seed (or none) and, when
/// one turns up, fix it and pin it as a plain test.
/// </summary>
internal static class PropertySeed
{
    public const string Replay = "20261130,1000000007";
}
