/**
 * English function words: they occur in nearly every abstract, so they say nothing about what a paper is
 * about, and leaving them out of the index saves memory and keeps "a study of the ..." from matching
 * everything. Content words that other lists drop ("time", "work", "use", "new", "first") are kept: they
 * matter in "time series", "real-time" or "new dataset".
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below between " +
    "both but by can could did do does doing down during each either few for from further had has have having " +
    "he her here hers herself him himself his how i if in into is it its itself me more most my myself neither " +
    "no nor not of off on once only or other our ours ourselves out over own same she should so some such than " +
    "that the their theirs them themselves then there these they this those through to too under until up upon " +
    "very was we were what when where which while who whom whose why will with within without would you your " +
    "yours yourself yourselves via also thus hence whether"
  ).split(" "),
);
