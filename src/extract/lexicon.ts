/**
 * The words the extraction rules know: what a count can count, which verbs say what happened to it,
 * which verbs report speech, and how speakers are named. Data only; the rules are in the other files.
 */

/** What a counted noun is, which decides which verbs make a claim of it. */
export type NounClass = 'people' | 'personnel' | 'civilians' | 'weapons' | 'aircraft' | 'places' | 'vehicles' | 'attacks';

const NOUNS: Record<NounClass, string[]> = {
  people: [
    'people', 'person', 'persons', 'individuals', 'individual', 'victims', 'victim', 'bodies', 'body', 'casualties', 'others',
    'wounded', 'injured', 'dead', 'suspects', 'suspect', 'detainees', 'detainee', 'prisoners', 'prisoner', 'captives', 'captive',
  ],
  personnel: [
    'soldier', 'soldiers', 'troops', 'troop', 'serviceman', 'servicemen', 'servicemember', 'servicemembers', 'personnel',
    'marine', 'marines', 'sailor', 'sailors', 'officer', 'officers', 'policeman', 'policemen', 'police', 'guard', 'guards',
    'fighter', 'fighters', 'militant', 'militants', 'combatant', 'combatants', 'gunman', 'gunmen', 'rebel', 'rebels',
    'member', 'members', 'commander', 'commanders', 'attacker', 'attackers', 'operative', 'operatives', 'agent', 'agents', 'adviser', 'advisers', 'advisor', 'advisors',
    'diplomat', 'diplomats', 'expert', 'experts', 'employee', 'employees', 'engineer', 'engineers', 'volunteer', 'volunteers', 'assailant', 'assailants', 'terrorist',
    'terrorists', 'insurgent', 'insurgents', 'team', 'teams', 'staff', 'staffers', 'rescuer', 'rescuers', 'pilot', 'pilots', 'contractor', 'contractors', 'recruit', 'recruits',
  ],
  civilians: [
    'civilian', 'civilians', 'resident', 'residents', 'woman', 'women', 'child', 'children', 'man', 'men', 'boy', 'boys',
    'girl', 'girls', 'villager', 'villagers', 'passenger', 'passengers', 'worker', 'workers', 'journalist', 'journalists',
    'medic', 'medics', 'paramedic', 'paramedics', 'doctor', 'doctors', 'nurse', 'nurses', 'patient', 'patients',
    'student', 'students', 'farmer', 'farmers', 'fisherman', 'fishermen', 'refugee', 'refugees', 'crew', 'infant',
    'infants', 'baby', 'babies', 'teenager', 'teenagers', 'minor', 'minors', 'protester', 'protesters', 'protestor',
    'protestors', 'passers-by', 'passersby', 'bystanders', 'bystander', 'shoppers', 'traders', 'vendors', 'worshipper', 'worshippers', 'family', 'families', 'relatives', 'pilgrims', 'migrants', 'hostages', 'hostage',
  ],
  weapons: [
    'rocket', 'rockets', 'missile', 'missiles', 'drone', 'drones', 'uav', 'uavs', 'shell', 'shells', 'mortar', 'mortars',
    'round', 'rounds', 'bomb', 'bombs', 'projectile', 'projectiles', 'grenade', 'grenades', 'munition', 'munitions',
    'bullet', 'bullets', 'mine', 'mines',
    'warhead', 'warheads', 'interceptor', 'interceptors', 'barrel bombs', 'barrel bomb',
  ],
  aircraft: ['aircraft', 'plane', 'planes', 'jet', 'jets', 'helicopter', 'helicopters', 'warplane', 'warplanes'],
  places: [
    'base', 'bases', 'position', 'positions', 'house', 'houses', 'home', 'homes', 'building', 'buildings', 'school',
    'schools', 'hospital', 'hospitals', 'clinic', 'clinics', 'mosque', 'mosques', 'church', 'churches', 'village',
    'villages', 'town', 'towns', 'facility', 'facilities', 'site', 'sites', 'target', 'targets', 'outpost', 'outposts',
    'checkpoint', 'checkpoints', 'camp', 'camps', 'shelter', 'shelters', 'bridge', 'bridges', 'depot', 'depots',
    'warehouse', 'warehouses', 'apartment', 'apartments', 'tent', 'tents', 'shop', 'shops', 'well', 'wells', 'graves', 'grave',
  ],
  vehicles: [
    'vehicle', 'vehicles', 'tank', 'tanks', 'truck', 'trucks', 'car', 'cars', 'ship', 'ships', 'vessel', 'vessels',
    'boat', 'boats', 'tanker', 'tankers', 'ambulance', 'ambulances', 'bus', 'buses', 'convoy', 'convoys', 'launcher', 'launchers',
  ],
  attacks: ['attack', 'attacks', 'airstrike', 'airstrikes', 'strike', 'strikes', 'raid', 'raids', 'explosion', 'explosions', 'blast', 'blasts', 'assault', 'assaults'],
};

const NOUN_CLASS = new Map<string, NounClass>();
for (const [kind, words] of Object.entries(NOUNS) as [NounClass, string[]][]) {
  for (const word of words) if (!NOUN_CLASS.has(word)) NOUN_CLASS.set(word, kind);
}

export function nounClassOf(word: string): NounClass | undefined {
  return NOUN_CLASS.get(word.toLowerCase());
}

/** "a soldier", "an ambulance": "a" counts one only for things an incident is counted in. */
export const COUNTED_BY_A = new Set<NounClass>(['people', 'personnel', 'civilians', 'places']);

/** Nouns a report denies outright: "no damage or casualties", each its own facet. */
export const DENIABLE = new Set(['damage', 'casualties', 'injuries', 'deaths', 'fatalities', 'losses', 'victims', 'injured', 'dead', 'wounded']);

/** What happened to what was counted, with the words that say it. */
export type Outcome =
  | 'killed' | 'wounded' | 'injured' | 'fired' | 'launched' | 'shot down' | 'intercepted' | 'hit' | 'targeted'
  | 'destroyed' | 'damaged' | 'diverted' | 'heard' | 'seen' | 'deployed' | 'hospitalised' | 'arrested' | 'captured' | 'abducted' | 'missing' | 'displaced' | 'evacuated' | 'rescued' | 'released';

const OUTCOME_WORDS: Record<Outcome, string[]> = {
  killed: ['killed', 'kill', 'kills', 'killing', 'dead', 'died', 'die', 'dies', 'death', 'deaths', 'fatalities', 'slain', 'executed', 'massacred', 'lost their lives', 'martyred', 'martyrdom', 'martyrs'],
  wounded: ['wounded', 'wounding', 'wounds', 'wound'],
  injured: ['injured', 'injuring', 'injures', 'injury', 'injuries', 'hurt', 'burns', 'burn', 'harmed'],
  fired: ['fired', 'fire', 'fires', 'firing', 'pounded', 'rained', 'lobbed'],
  launched: ['launched', 'launch', 'launches', 'launching', 'sent', 'flew'],
  'shot down': ['shot down', 'shoot down', 'downed', 'downs', 'down'],
  intercepted: ['intercepted', 'intercept', 'intercepts', 'intercepting', 'interception', 'thwarted'],
  hit: ['hit', 'hits', 'struck', 'strike', 'landed', 'impacted', 'slammed'],
  targeted: ['targeted', 'targeting', 'targets', 'target', 'attacked', 'attack', 'attacks', 'shelled', 'bombed', 'bombarded', 'raided', 'stormed', 'assaulted'],
  destroyed: ['destroyed', 'destroying', 'razed', 'flattened', 'demolished', 'levelled', 'leveled', 'burned', 'torched'],
  damaged: ['damaged', 'damaging'],
  diverted: ['diverted', 'changed course', 'rerouted', 'turned back', 'turned around'],
  heard: ['heard', 'hear', 'reported hearing'],
  deployed: ['dispatched', 'deployed', 'mobilised', 'mobilized'],
  hospitalised: ['transferred', 'hospitalised', 'hospitalized', 'admitted', 'treated', 'received', 'receiving'],
  seen: ['saw', 'seen', 'spotted', 'observed', 'counted', 'sighted'],
  arrested: ['arrested', 'arrest', 'arrests', 'detained', 'detaining', 'detention', 'rounded up'],
  captured: ['captured', 'capturing', 'seized'],
  abducted: ['abducted', 'kidnapped', 'taken hostage', 'abduction'],
  missing: ['missing', 'unaccounted'],
  displaced: ['displaced', 'fled', 'uprooted'],
  evacuated: ['evacuated', 'evacuating'],
  rescued: ['rescued', 'pulled from'],
  released: ['released', 'freed'],
};

export const OUTCOME_OF = new Map<string, Outcome>();
for (const [outcome, words] of Object.entries(OUTCOME_WORDS) as [Outcome, string[]][]) {
  for (const word of words) if (!OUTCOME_OF.has(word)) OUTCOME_OF.set(word, outcome);
}

/** Which outcomes make a claim about which kind of thing. */
export const OUTCOMES_FOR: Record<NounClass, Outcome[]> = {
  people: ['killed', 'wounded', 'injured', 'hospitalised', 'arrested', 'captured', 'abducted', 'missing', 'displaced', 'evacuated', 'rescued', 'released'],
  personnel: ['killed', 'wounded', 'injured', 'hospitalised', 'deployed', 'arrested', 'captured', 'abducted', 'missing', 'evacuated', 'rescued', 'released'],
  civilians: ['killed', 'wounded', 'injured', 'hospitalised', 'arrested', 'abducted', 'missing', 'displaced', 'evacuated', 'rescued', 'released'],
  weapons: ['fired', 'launched', 'shot down', 'intercepted', 'hit', 'destroyed', 'seen'],
  aircraft: ['shot down', 'destroyed', 'damaged', 'hit', 'targeted', 'launched', 'seen'],
  places: ['targeted', 'hit', 'destroyed', 'damaged', 'captured', 'seen'],
  vehicles: ['targeted', 'hit', 'destroyed', 'damaged', 'captured', 'diverted', 'deployed'],
  attacks: ['targeted', 'launched', 'heard', 'seen'],
};

/** What a weapon counted with no other verb near it was: fired, for all but drones. */
export function defaultOutcome(noun: string, kind: NounClass): Outcome | undefined {
  if (kind === 'weapons') return /^(drone|uav)/.test(noun) ? 'launched' : 'fired';
  return undefined;
}

/** Words that report speech, and the cue each gives. "according to" is found as a phrase. */
export const REPORTING_VERBS = new Set([
  'said', 'says', 'say', 'saying', 'told', 'tells', 'stated', 'states', 'announced', 'announces', 'claimed', 'claims',
  'confirmed', 'confirms', 'denied', 'denies', 'reported', 'reports', 'added', 'adds', 'noted', 'notes', 'warned',
  'insisted', 'wrote', 'writes', 'tweeted', 'posted', 'declared', 'disclosed', 'acknowledged', 'asserted', 'alleged',
  'explained', 'estimated', 'estimates', 'revealed', 'admitted', 'maintained', 'stressed', 'reiterated', 'put',
  'rejected', 'dismissed', 'refuted',
]);

/** Nouns that can be a speaker on their own ("the ministry said", "officials told …"). */
export const SPEAKER_NOUNS = new Set([
  'official', 'officials', 'spokesman', 'spokeswoman', 'spokesperson', 'spokespeople', 'ministry', 'ministries',
  'army', 'military', 'command', 'police', 'agency', 'observatory', 'group', 'groups', 'source', 'sources', 'witness',
  'witnesses', 'resident', 'residents', 'medic', 'medics', 'doctor', 'doctors', 'commander', 'officer', 'diplomat',
  'diplomats', 'government', 'authorities', 'authority', 'statement', 'forces', 'office', 'minister', 'president',
  'governor', 'mayor', 'analyst', 'analysts', 'monitor', 'organisation', 'organization', 'movement', 'militia',
  'coalition', 'service', 'services', 'department', 'council', 'committee', 'mission', 'report', 'media', 'outlet',
  'channel', 'television', 'tv', 'newspaper', 'agency', 'correspondent', 'reporter', 'activist', 'activists', 'rescuers',
  'hospital', 'chief', 'head', 'network', 'union', 'association', 'society', 'company', 'operator', 'firm', 'ngo', 'charity', 'leader', 'secretary', 'ambassador', 'envoy', 'representative', 'navy', 'guard',
  'corps', 'brigades', 'wing', 'headquarters', 'cabinet', 'presidency', 'defence', 'defense', 'operator',
]);

/** Role words before a name ("US President Joe Biden", "Col. Yahya Saree"): the source is the person. */
export const TITLES = new Set([
  'president', 'minister', 'prime', 'secretary', 'spokesman', 'spokeswoman', 'spokesperson', 'gen', 'gen.', 'general',
  'col', 'col.', 'colonel', 'maj', 'maj.', 'major', 'lt', 'lt.', 'lieutenant', 'capt', 'capt.', 'captain', 'brig',
  'brig.', 'brigadier', 'adm', 'adm.', 'admiral', 'sgt', 'sgt.', 'commander', 'governor', 'mayor', 'ambassador', 'envoy',
  'dr', 'dr.', 'mr', 'mr.', 'ms', 'ms.', 'mrs', 'mrs.', 'sheikh', 'chief', 'director', 'head', 'leader', 'senator',
  'deputy', 'foreign', 'defence', 'defense', 'interior', 'health', 'military', 'army', 'police', 'state', 'senior', 'official',
  'spokesmen', 'chairman', 'adviser', 'advisor', 'presidential', 'aide', 'regional', 'provincial', 'district', 'national',
  'coordinator', 'emergency', 'security', 'affairs', 'public', 'information', 'press', 'officer', 'operator', 'grid',
  'manager', 'owner', 'resident', 'witness', 'farmer', 'trader', 'driver', 'teacher', 'imam', 'priest', 'king', 'emir', 'ayatollah', 'cleric', 'analyst', 'correspondent', 'reporter', 'activist', 'doctor',
]);

/** Words opening a speaker's description that add nothing to its name ("a senior US official"). */
export const DROPPED_FROM_NAMES = new Set(['a', 'an', 'the', 'also', 'senior', 'high-ranking', 'top', 'another', 'one', 'local']);

/** How nationalities are spelled in source names. */
export const NATIONALITY_NAMES: Record<string, string> = {
  american: 'US', 'u.s.': 'US', 'u.s': 'US', british: 'UK', 'u.k.': 'UK',
};

/** Words naming an outlet by its medium. */
export const MEDIA_WORDS = new Set(['tv', 'television', 'radio', 'channel', 'news', 'agency', 'newspaper', 'daily', 'times', 'post', 'press', 'network', 'broadcaster']);

/** Outlets a report names often, known without being told. Lower case. */
export const KNOWN_OUTLETS = new Set([
  'reuters', 'ap', 'associated press', 'afp', 'agence france-presse', 'al jazeera', 'al-jazeera', 'cnn', 'bbc', 'isna',
  'irna', 'tasnim', 'fars', 'mehr', 'sana', 'al-masirah', 'al masirah', 'al-mayadeen', 'al mayadeen', 'al arabiya',
  'al-arabiya', 'anadolu', 'tass', 'ria novosti', 'xinhua', 'the new york times', 'new york times', 'the washington post',
  'washington post', 'the guardian', 'wafa', 'kan', 'channel 12', 'press tv', 'presstv', 'iswnews', 'ukrinform', 'interfax',
  'dpa', 'efe', 'rudaw', 'kurdistan 24', 'al-manar', 'al manar', 'sky news', 'fox news', 'nbc', 'abc', 'cbs', 'politico',
  'axios', 'the times of israel', 'times of israel', 'haaretz', 'ynet', 'saba', 'nhk', 'yonhap', 'kyodo',
]);

/** Aliases every analyst knows: the short name and the full one. Lower case → the name a new source gets. */
export const WELL_KNOWN_NAMES: Record<string, string> = {
  centcom: 'US Central Command (CENTCOM)',
  'us centcom': 'US Central Command (CENTCOM)',
  'us central command': 'US Central Command (CENTCOM)',
  'central command': 'US Central Command (CENTCOM)',
  idf: 'Israel Defense Forces (IDF)',
  'israel defense forces': 'Israel Defense Forces (IDF)',
  'israeli defense forces': 'Israel Defense Forces (IDF)',
  sohr: 'Syrian Observatory for Human Rights (SOHR)',
  'syrian observatory for human rights': 'Syrian Observatory for Human Rights (SOHR)',
  'syrian observatory': 'Syrian Observatory for Human Rights (SOHR)',
  irgc: 'Islamic Revolutionary Guard Corps (IRGC)',
  'islamic revolutionary guard corps': 'Islamic Revolutionary Guard Corps (IRGC)',
  'revolutionary guards': 'Islamic Revolutionary Guard Corps (IRGC)',
  pentagon: 'US Department of Defense',
  'the pentagon': 'US Department of Defense',
  hrw: 'Human Rights Watch',
  icrc: 'International Committee of the Red Cross (ICRC)',
  ocha: 'UN Office for the Coordination of Humanitarian Affairs (OCHA)',
  sana: 'SANA',
  ap: 'Associated Press',
  afp: 'AFP',
};

/** Guessing a new source's kind from the words naming it; first match wins. */
export const KIND_CUES: [RegExp, 'government' | 'military' | 'armed group' | 'media' | 'NGO' | 'individual' | 'other'][] = [
  [/\b(houthis?|hamas|hezbollah|hizbollah|militants?|rebels?|insurgents?|resistance|jihadists?|isis|isil|islamic state|al-qaeda|taliban|militias?|brigades?|ansar|jaish|kataib|wagner|pkk|ypg|sdf|hts|fighters?|movement|armed group)\b/i, 'armed group'],
  [/\b(reuters|associated press|afp|al[- ]jazeera|cnn|bbc|isna|irna|tasnim|fars|mehr|sana|al[- ]masirah|al[- ]mayadeen|news|tv|television|radio|channel|newspaper|agency|media|outlet|correspondent|reporter|journalist|times|post|press|iswnews|broadcaster)\b/i, 'media'],
  [/\b(observatory|human rights|amnesty|red cross|red crescent|icrc|msf|doctors without borders|ngo|charity|monitor|watch|relief|aid group|white helmets|civil defen[cs]e|unicef|ocha|un agency|who\b|airwars|acled)\b/i, 'NGO'],
  [/\b(military|army|armed forces|forces|command|centcom|idf|irgc|navy|air force|defen[cs]e forces|troops|commander|general|gen\.|col\.|colonel|brigadier|officer|soldiers?|marines?|guards?|corps|pentagon)\b/i, 'military'],
  [/\b(officials?|government|ministry|minister|president|prime minister|spokes(man|woman|person)|authorities|authority|state department|white house|kremlin|presidency|embassy|ambassador|diplomats?|governor|mayor|cabinet|police|department|secretary)\b/i, 'government'],
  [/\b(residents?|witness(es)?|eyewitness(es)?|medics?|doctors?|villagers?|survivors?|relatives?|analysts?|activists?)\b/i, 'individual'],
];
