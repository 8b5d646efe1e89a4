/// One stored message on its way to one device (contact).
struct DeliveryKey: Hashable {
    var messageID: Int64
    var contact: String
}
