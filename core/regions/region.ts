/** A region the deployment serves, as `GET /v1/regions` lists it. */
export interface Region {
  readonly id: string;
  readonly name: string;
}
