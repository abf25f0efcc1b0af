export {
  admin1Names,
  admin2Names,
  adminOfPolygon,
  canonicalAdmin1,
  canonicalAdmin2,
  canonicalEventAdmin,
} from './admin-names.ts';
export {
  type AdminLocation,
  Gazetteer,
  geoPrecisionOf,
  type Place,
  type PlaceContext,
  type PlaceKind,
  type PlaceMention,
} from './gazetteer.ts';
export { haversineKm } from './geometry.ts';
export {
  type LearnedPlace,
  type LearnSummary,
  learnPlaces,
  placesFromEvents,
  readLearnedPlaces,
  type Sighting,
} from './learn.ts';
export { placeKey } from './normalise.ts';
