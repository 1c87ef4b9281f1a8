/** A partner asks for the status of one of its own signals. */
export class GetSignalStatusQuery {
  constructor(
    readonly partnerId: string,
    readonly signalId: string,
  ) {
    Object.freeze(this);
  }
}
