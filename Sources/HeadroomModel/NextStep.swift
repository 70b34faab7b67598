/// What a project with no data does next, in the words `headroom init` prints: the init's last
/// lines and the empty site say the same.
public enum NextStep {
    /// The command, run in the project, that fills it with last week's data and builds.
    public static let command = "scripts/collect-aws.sh && headroom build"
    /// What the command does.
    public static let purpose = "collects last week with the AWS CLI, then builds"
}
