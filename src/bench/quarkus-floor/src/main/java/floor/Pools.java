package floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** One GET that answers a pool-shaped record as JSON, through the same REST and Jackson layers as the service. */
@Path("/pools/{name}")
public class Pools {

    public record Pool(String name, String range) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Pool get(@PathParam("name") String name) {
        return new Pool(name, "10.0.0.0/16");
    }
}
